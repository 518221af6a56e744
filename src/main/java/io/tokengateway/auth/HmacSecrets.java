package io.tokengateway.auth;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.JwtConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HMAC secrets named by {@code jwt.hmacSecretEnv} (CONTRACT §4, §14): one or more, comma-separated,
 * each verifying, so a secret rotates without logging anyone out. Each must be at least as long as the
 * hash of every configured HS algorithm (RFC 7518 §3.2). Never logged, never quoted in an error.
 */
final class HmacSecrets {

  static final String KEY = "jwt.hmacSecretEnv";
  static final Map<String, Integer> MIN_BYTES = Map.of("HS256", 32, "HS384", 48, "HS512", 64);

  private HmacSecrets() {}

  /** The secrets in the order given; a {@link ConfigException} when unset, empty or too short. */
  static List<byte[]> read(JwtConfig config, Map<String, String> env) {
    String name = config.hmacSecretEnv();
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new ConfigException(KEY, "environment variable " + name + " is not set");
    }
    int minBytes = minBytes(config.algorithms());
    List<byte[]> secrets = new ArrayList<>();
    String[] parts = value.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      byte[] secret = parts[i].strip().getBytes(StandardCharsets.UTF_8);
      if (secret.length < minBytes) {
        throw new ConfigException(KEY, "environment variable " + name + ": secret " + (i + 1) + " of "
          + parts.length + " is shorter than " + minBytes + " bytes (needed for " + config.algorithms() + ")");
      }
      secrets.add(secret);
    }
    return secrets;
  }

  /** The longest hash among the configured HS algorithms decides: every secret verifies under each. */
  static int minBytes(List<String> algorithms) {
    return algorithms.stream().mapToInt(alg -> MIN_BYTES.getOrDefault(alg, 0)).max().orElse(0);
  }
}
