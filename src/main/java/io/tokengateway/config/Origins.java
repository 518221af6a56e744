package io.tokengateway.config;

import java.net.URI;
import java.util.List;

/** The one definition of a browser origin: {@code scheme://host[:port]}, no path (CONTRACT §5). */
public final class Origins {

  private Origins() {}

  public static boolean isOrigin(String value) {
    if (value == null || value.isEmpty() || value.length() > 2048) {
      return false;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return ("https".equals(scheme) || "http".equals(scheme)) && uri.getHost() != null
        && uri.getRawUserInfo() == null && uri.getRawPath() != null && uri.getRawPath().isEmpty()
        && uri.getRawQuery() == null && uri.getRawFragment() == null
        && value.equals(scheme + "://" + uri.getRawAuthority());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  public static List<String> validated(ConfigNode node, String key) {
    List<String> origins = node.strings(key, List.of());
    for (String origin : origins) {
      if (!isOrigin(origin)) {
        throw new ConfigException(node.keyPath(key), "each entry must be an origin like https://host[:port]");
      }
    }
    return origins;
  }
}
