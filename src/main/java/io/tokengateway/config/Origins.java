package io.tokengateway.config;

import io.tokengateway.decart.DecartRules;
import java.util.List;

/** A list of browser origins in the main config ({@code server.cors.allowedOrigins}), in Decart's origin syntax. */
public final class Origins {

  private Origins() {}

  public static List<String> validated(ConfigNode node, String key) {
    List<String> origins = node.strings(key, List.of());
    for (String origin : origins) {
      if (!DecartRules.isOrigin(origin)) {
        throw new ConfigException(node.keyPath(key), "each entry must be an origin like https://host[:port]");
      }
    }
    return origins;
  }
}
