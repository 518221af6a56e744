package io.tokengateway.http;

import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/** CONTRACT §5 "Request ids": keep a well-formed caller id, else make one. */
public final class RequestIds {

  public static final String HEADER = "x-request-id";
  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  public static String of(HttpServerRequest request) {
    String given = request.getHeader(HEADER);
    return isValid(given) ? given : generate();
  }

  static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** 128 random bits as 32 hex digits; ThreadLocalRandom, since ids need uniqueness, not secrecy. */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    long high = random.nextLong();
    long low = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
      out[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out);
  }
}
