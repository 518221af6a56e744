package io.tokengateway.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads the main config ({@link YamlFile}) and turns it into
 * {@link GatewayConfig}, applying {@code GATEWAY_*} overrides; any fault is a {@link ConfigException}.
 */
public final class ConfigLoader {

  public static final int MIN_ADMIN_TOKEN_CHARS = 32;

  private ConfigLoader() {}

  /** Loads the main config; {@code patch} edits the raw tree first (dev mode), identity otherwise. */
  public static Future<GatewayConfig> load(Vertx vertx, String path, Map<String, String> env,
                                           UnaryOperator<JsonObject> patch) {
    return YamlFile.read(vertx, path, "conf").map(raw -> parse(patch.apply(raw), env))
      .compose(config -> ConfigFiles.check(vertx, config));
  }

  public static GatewayConfig parse(JsonObject raw, Map<String, String> env) {
    GatewayConfig config = GatewayConfig.from(new ConfigNode(raw, "", env));
    adminTokens(config.management(), env);
    return config;
  }

  /**
   * The admin bearer tokens named by {@code management.adminTokenEnv} (CONTRACT §13), in their order;
   * empty when the key is not set. Several, comma-separated, allow rotation; each must be long enough
   * to resist guessing.
   */
  public static java.util.List<String> adminTokens(GatewayConfig.Management management, Map<String, String> env) {
    String name = management.adminTokenEnv();
    if (name == null) {
      return java.util.List.of();
    }
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new ConfigException("management.adminTokenEnv", "environment variable " + name + " is not set");
    }
    java.util.List<String> tokens = java.util.Arrays.stream(value.split(",", -1)).map(String::trim).toList();
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).length() < MIN_ADMIN_TOKEN_CHARS) {
        throw new ConfigException("management.adminTokenEnv", "token " + (i + 1) + " of environment variable " + name
          + " is shorter than " + MIN_ADMIN_TOKEN_CHARS + " characters");
      }
    }
    return tokens;
  }

  /** The root cause in one line: enough to name what went wrong, never a stack trace (CONTRACT §3). */
  public static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof NoSuchFileException) {
      return "no such file";
    }
    if (root instanceof AccessDeniedException) {
      return "permission denied";
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }

}
