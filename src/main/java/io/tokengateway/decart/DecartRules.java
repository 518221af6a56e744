package io.tokengateway.decart;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Decart's token endpoint as CONTRACT §2 defines it: where it is and what it accepts. The one definition read by
 * the gateway's strict parse ({@code policy}), the tenants file ({@code tenant}) and the simulator ({@code dev}).
 */
public final class DecartRules {

  /** Decart's endpoint, and the gateway's own (CONTRACT §5 serves it on the same path). */
  public static final String TOKEN_PATH = "/v1/client/tokens";
  public static final int MIN_EXPIRES_IN_SECONDS = 1;
  public static final int MAX_EXPIRES_IN_SECONDS = 3600;
  /** What Decart mints when {@code expiresIn} is absent. */
  public static final int DEFAULT_EXPIRES_IN_SECONDS = 60;
  /** For {@code allowedModels} and {@code allowedOrigins} each. */
  public static final int MAX_LIST_ENTRIES = 20;
  public static final int MIN_SESSION_DURATION_SECONDS = 10;
  /** Ours: Decart sets no upper bound; one day keeps the value an int and stops a typo from being forwarded. */
  public static final int MAX_SESSION_DURATION_SECONDS = 86_400;
  private static final int MAX_ORIGIN_CHARS = 2048;

  private DecartRules() {}

  /** A full origin, {@code http(s)://host[:port]}: no path, query, fragment or user info (also CORS's syntax). */
  public static boolean isOrigin(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_ORIGIN_CHARS) {
      return false;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return ("https".equals(scheme) || "http".equals(scheme)) && uri.getHost() != null
        && uri.getRawUserInfo() == null && uri.getRawPath() != null && uri.getRawPath().isEmpty()
        && uri.getRawQuery() == null && uri.getRawFragment() == null
        && value.equals(scheme + "://" + uri.getRawAuthority());
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
