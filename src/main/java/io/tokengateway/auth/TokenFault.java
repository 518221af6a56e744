package io.tokengateway.auth;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;

/**
 * Why a session JWT was refused (CONTRACT §5/§6): a closed set of metric labels, each with a fixed
 * caller-safe detail that never quotes the token or its claims.
 */
public enum TokenFault {
  MULTIPLE_HEADERS("multiple_headers", "exactly one Authorization header is allowed"),
  TOO_LARGE("too_large", "the token is too large"),
  MALFORMED("malformed", "the token is not a well-formed JWT"),
  HEADER("header", "the token header is not acceptable"),
  ALGORITHM("algorithm", "the token algorithm is not accepted"),
  EXPIRED("expired", "the token has expired"),
  NOT_YET_VALID("not_yet_valid", "the token is not valid yet"),
  ISSUED_IN_FUTURE("issued_in_future", "the token was issued in the future"),
  ISSUER("issuer", "the token issuer is not accepted"),
  AUDIENCE("audience", "the token audience is not accepted"),
  CLAIMS("claims", "a required claim is missing or malformed"),
  UNKNOWN_KEY("unknown_key", "the token was signed with an unknown key"),
  SIGNATURE("signature", "the token signature is invalid");

  private final String label;
  private final String detail;

  TokenFault(String label, String detail) {
    this.label = label;
    this.detail = detail;
  }

  /** The metrics label ({@link GatewayException#reason()}). */
  public String label() {
    return label;
  }

  GatewayException error() {
    return new GatewayException(ErrorCode.INVALID_TOKEN, detail).reason(label);
  }
}
