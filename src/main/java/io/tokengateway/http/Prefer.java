package io.tokengateway.http;

import java.util.List;
import java.util.Locale;

/**
 * The {@code wait} preference of RFC 7240 {@code Prefer} headers (CONTRACT §12 "Waiting"): the seconds a caller
 * is willing to wait for a session slot, 0 when it did not ask. Other preferences are ignored.
 */
final class Prefer {

  /** Larger values are read as this; the tenant's {@code maxWaitSeconds} bounds them anyway. */
  static final int MAX_WAIT_SECONDS = 3600;

  private Prefer() {}

  static int waitSeconds(List<String> headers) {
    for (String header : headers) {
      for (String preference : header.split(",")) {
        String token = preference.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (token.startsWith("wait=")) {
          return parse(token.substring("wait=".length()).replace("\"", "").trim());
        }
      }
    }
    return 0;
  }

  private static int parse(String value) {
    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
      return 0;
    }
    return Math.min(MAX_WAIT_SECONDS, Integer.parseInt(value));
  }
}
