package io.tokengateway.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads a YAML file without blocking (vertx-config) and turns the main config into
 * {@link GatewayConfig}, applying {@code GATEWAY_*} overrides; any fault is a {@link ConfigException}.
 */
public final class ConfigLoader {

  public static final int MIN_HMAC_SECRET_BYTES = 32;

  private ConfigLoader() {}

  /** Loads the main config; {@code patch} edits the raw tree first (dev mode), identity otherwise. */
  public static Future<GatewayConfig> load(Vertx vertx, String path, Map<String, String> env,
                                           UnaryOperator<JsonObject> patch) {
    return readYaml(vertx, path, "conf").map(raw -> parse(patch.apply(raw), env));
  }

  public static GatewayConfig parse(JsonObject raw, Map<String, String> env) {
    GatewayConfig config = GatewayConfig.from(new ConfigNode(raw, "", env));
    if (config.jwt().usesHmac()) {
      hmacSecret(config.jwt(), env);
    }
    return config;
  }

  /** The HS secret named by {@code jwt.hmacSecretEnv}: set, and long enough to resist guessing. */
  public static byte[] hmacSecret(JwtConfig jwt, Map<String, String> env) {
    String secret = env.get(jwt.hmacSecretEnv());
    if (secret == null || secret.isEmpty()) {
      throw new ConfigException("jwt.hmacSecretEnv", "environment variable " + jwt.hmacSecretEnv() + " is not set");
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_HMAC_SECRET_BYTES) {
      throw new ConfigException("jwt.hmacSecretEnv", "environment variable " + jwt.hmacSecretEnv()
        + " must hold at least " + MIN_HMAC_SECRET_BYTES + " bytes");
    }
    return bytes;
  }

  /** One YAML file as JSON; {@code key} names it in the error when it cannot be read or parsed. */
  public static Future<JsonObject> readYaml(Vertx vertx, String path, String key) {
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("yaml")
      .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
      new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(-1).addStore(store));
    return retriever.getConfig()
      .recover(e -> Future.failedFuture(new ConfigException(key, "cannot read " + path + ": " + reason(e))))
      .eventually(retriever::close);
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
