package io.tokengateway.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads the main config ({@link YamlFile}) and turns it into
 * {@link GatewayConfig}, applying {@code GATEWAY_*} overrides; any fault is a {@link ConfigException}.
 */
public final class ConfigLoader {

  /** Decart account keys are {@code dct_…}; an {@code ek_} client token must never be configured as one. */
  public static final String CLIENT_TOKEN_PREFIX = "ek_";

  private ConfigLoader() {}

  /** Loads the main config; {@code patch} edits the raw tree first (dev mode), identity otherwise. */
  public static Future<GatewayConfig> load(Vertx vertx, String path, Map<String, String> env,
                                           UnaryOperator<JsonObject> patch) {
    return YamlFile.read(vertx, path, "conf").map(raw -> parse(patch.apply(raw), env));
  }

  public static GatewayConfig parse(JsonObject raw, Map<String, String> env) {
    return GatewayConfig.from(new ConfigNode(raw, "", env));
  }

  /** The Decart account key held by env var {@code name}; {@code key} is the config path naming it. */
  public static String accountKey(String key, String name, Map<String, String> env) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, "environment variable " + name + " is not set");
    }
    if (value.startsWith(CLIENT_TOKEN_PREFIX)) {
      throw new ConfigException(key, "environment variable " + name
        + " holds a client token (ek_...), not a Decart account key");
    }
    return value.trim();
  }
}
