package io.tokengateway.auth;

import io.tokengateway.json.StrictJson;
import io.tokengateway.config.JwtConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/**
 * The claim checks of CONTRACT §5 on a structurally valid payload: time claims against the clock
 * with the configured skew, issuer, audience, then the user, tenant and session claims.
 */
final class SessionClaims {

  /** 9999-12-31T23:59:59Z: a later (or non-positive) NumericDate is a forgery or a bug, not a date. */
  static final long MAX_NUMERIC_DATE = 253_402_300_799L;
  /** Identity claims end up in metadata, logs and rate-limit keys: bounded, printable. */
  static final int MAX_IDENTITY_CHARS = 1024;

  private final JwtConfig config;

  SessionClaims(JwtConfig config) {
    this.config = config;
  }

  Caller check(JsonObject payload, long nowSeconds) {
    long skew = config.clockSkewSeconds();
    long exp = numericDate(payload, "exp", true);
    if (nowSeconds - skew >= exp) {
      throw TokenFault.EXPIRED.error();
    }
    if (numericDate(payload, "nbf", false) > nowSeconds + skew) {
      throw TokenFault.NOT_YET_VALID.error();
    }
    if (numericDate(payload, "iat", false) > nowSeconds + skew) {
      throw TokenFault.ISSUED_IN_FUTURE.error();
    }
    checkIssuer(payload.getValue("iss"));
    checkAudience(payload.getValue("aud"));
    String user = identity(payload, config.claims().user());
    String tenant = identity(payload, config.claims().tenant());
    return new Caller(tenant, user, session(payload), exp);
  }

  /** {@code nbf} of a payload that passed {@link #check}, or {@link Long#MIN_VALUE} when absent. */
  static long notBefore(JsonObject payload) {
    return numericDate(payload, "nbf", false);
  }

  /** Seconds, rounded down; {@link Long#MIN_VALUE} for an absent optional claim. */
  private static long numericDate(JsonObject payload, String name, boolean required) {
    Object value = payload.getValue(name);
    if (value == null && !payload.containsKey(name) && !required) {
      return Long.MIN_VALUE;
    }
    if (!StrictJson.isNumber(value)) {
      throw TokenFault.CLAIMS.error();
    }
    BigDecimal seconds = value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(MAX_NUMERIC_DATE)) > 0) {
      throw TokenFault.CLAIMS.error();
    }
    return seconds.longValue();
  }

  private void checkIssuer(Object iss) {
    boolean wrongType = iss != null && !(iss instanceof String);
    if (wrongType || (config.issuer() != null && !config.issuer().equals(iss))) {
      throw TokenFault.ISSUER.error();
    }
  }

  /** {@code aud} is a string or an array of strings; when configured, it must contain ours. */
  private void checkAudience(Object aud) {
    JsonArray audiences = aud instanceof JsonArray array ? array : new JsonArray();
    if (aud instanceof String single) {
      audiences.add(single);
    } else if (aud != null && !(aud instanceof JsonArray)) {
      throw TokenFault.AUDIENCE.error();
    }
    for (Object entry : audiences) {
      if (!(entry instanceof String)) {
        throw TokenFault.AUDIENCE.error();
      }
    }
    if (config.audience() != null && !audiences.contains(config.audience())) {
      throw TokenFault.AUDIENCE.error();
    }
  }

  private static String identity(JsonObject payload, String path) {
    Object value = resolve(payload, path);
    if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_IDENTITY_CHARS
      || text.chars().anyMatch(Character::isISOControl)) {
      throw TokenFault.CLAIMS.error();
    }
    return text;
  }

  /**
   * The session claim is optional, but when present it must be a usable string: a malformed one
   * would otherwise be silently dropped from the metadata the gateway vouches for.
   */
  private String session(JsonObject payload) {
    String path = config.claims().session();
    return path == null || resolve(payload, path) == null ? null : identity(payload, path);
  }

  /**
   * A claim by name; a dotted name ({@code org.id}) walks nested objects unless the payload has
   * that exact name, as namespaced claims ({@code https://acme.example/tenant}) contain dots.
   */
  static Object resolve(JsonObject payload, String path) {
    if (payload.containsKey(path) || path.indexOf('.') < 0) {
      return payload.getValue(path);
    }
    Object node = payload;
    for (String step : path.split("\\.", -1)) {
      if (!(node instanceof JsonObject object)) {
        return null;
      }
      node = object.getValue(step);
    }
    return node;
  }
}
