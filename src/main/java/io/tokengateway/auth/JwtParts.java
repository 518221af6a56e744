package io.tokengateway.auth;

import io.tokengateway.json.StrictJson;
import io.tokengateway.config.JwtConfig;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;

/**
 * The structural checks of CONTRACT §5 that run before any claim or crypto: three canonical
 * base64url segments, strict JSON objects, and an acceptable header. The result is the parsed token.
 */
record JwtParts(String token, JsonObject header, JsonObject payload, String alg, String kid) {

  /** Far above any real session token; bounds the work a forged one can cause. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** JWS signature lengths (R || S) for ECDSA; a DER-encoded or truncated one is refused. */
  private static final Map<String, Integer> EC_SIGNATURE_BYTES = Map.of("ES256", 64, "ES384", 96, "ES512", 132);

  static JwtParts parse(String token, JwtConfig config) {
    if (token.length() > MAX_TOKEN_CHARS) {
      throw TokenFault.TOO_LARGE.error();
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw TokenFault.MALFORMED.error();
    }
    JsonObject header = json(decode(token.substring(0, first)));
    JsonObject payload = json(decode(token.substring(first + 1, second)));
    byte[] signature = decode(token.substring(second + 1));
    String alg = algorithm(header, config);
    checkSignatureLength(alg, signature);
    return new JwtParts(token, header, payload, alg, kid(header));
  }

  /** Unpadded base64url in canonical form only: the same token cannot be spelled two ways. */
  private static byte[] decode(String segment) {
    if (segment.isEmpty() || segment.length() % 4 == 1) {
      throw TokenFault.MALFORMED.error();
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        throw TokenFault.MALFORMED.error();
      }
    }
    byte[] bytes = Base64.getUrlDecoder().decode(segment);
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment)) {
      throw TokenFault.MALFORMED.error();
    }
    return bytes;
  }

  private static JsonObject json(byte[] bytes) {
    try {
      return StrictJson.parseObject(bytes);
    } catch (StrictJson.MalformedException e) {
      throw TokenFault.MALFORMED.error();
    }
  }

  /** {@code alg} must be allowed and fit the key source; {@code none} is never in the allowlist. */
  private static String algorithm(JsonObject header, JwtConfig config) {
    if (header.containsKey("crit")) {
      throw TokenFault.HEADER.error();
    }
    Object alg = header.getValue("alg");
    if (!(alg instanceof String name) || !config.algorithms().contains(name)
      || JwtConfig.HMAC_ALGORITHMS.contains(name) != config.usesHmac()) {
      throw TokenFault.ALGORITHM.error();
    }
    return name;
  }

  /** {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} are deliberately never read. */
  private static String kid(JsonObject header) {
    if (!header.containsKey("kid")) {
      return null;
    }
    if (header.getValue("kid") instanceof String kid && !kid.isEmpty()) {
      return kid;
    }
    throw TokenFault.HEADER.error();
  }

  private static void checkSignatureLength(String alg, byte[] signature) {
    Integer expected = EC_SIGNATURE_BYTES.get(alg);
    if (expected != null && signature.length != expected) {
      throw TokenFault.SIGNATURE.error();
    }
  }
}
