package io.tokengateway;

/**
 * The contract's error table (CONTRACT §6): each row's status, machine code and title.
 * The one place a failure is mapped to what the caller sees.
 */
public enum ErrorCode {
  MALFORMED_JSON(400, "malformed_json", "Malformed JSON"),
  MISSING_TOKEN(401, "missing_token", "Missing bearer token"),
  INVALID_TOKEN(401, "invalid_token", "Invalid token"),
  AUTH_UNAVAILABLE(503, "auth_unavailable", "Authentication temporarily unavailable"),
  UNKNOWN_TENANT(403, "unknown_tenant", "Unknown tenant"),
  TENANT_DISABLED(403, "tenant_disabled", "Tenant disabled"),
  MODEL_NOT_ALLOWED(403, "model_not_allowed", "Model not allowed"),
  ORIGIN_NOT_ALLOWED(403, "origin_not_allowed", "Origin not allowed"),
  POLICY_VIOLATION(403, "policy_violation", "Policy violation"),
  NOT_FOUND(404, "not_found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed"),
  REQUEST_TIMEOUT(408, "request_timeout", "Request timeout"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large", "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "Unsupported media type"),
  VALIDATION_FAILED(422, "validation_failed", "Validation failed"),
  HEADERS_TOO_LARGE(431, "headers_too_large", "Request header fields too large"),
  UPSTREAM_REJECTED(422, "upstream_rejected", "Rejected by Decart"),
  RATE_LIMITED(429, "rate_limited", "Too many requests"),
  BLOCKED(403, "blocked", "Blocked"),
  SESSION_LIMIT(429, "session_limit", "Too many realtime sessions"),
  CAPACITY_EXHAUSTED(503, "capacity_exhausted", "No realtime capacity"),
  LEASE_NOT_FOUND(404, "lease_not_found", "Lease not found"),
  ADMIN_DISABLED(403, "admin_disabled", "Admin writes disabled"),
  UPSTREAM_AUTH_FAILED(502, "upstream_auth_failed", "Gateway credentials rejected by Decart"),
  UPSTREAM_ERROR(502, "upstream_error", "Decart error"),
  UPSTREAM_UNAVAILABLE(503, "upstream_unavailable", "Decart unavailable"),
  UPSTREAM_THROTTLED(503, "upstream_throttled", "Decart is throttling"),
  UPSTREAM_TIMEOUT(504, "upstream_timeout", "Decart timeout"),
  /** Not in the table: an HTTP request that cannot be parsed at all (bad request line, bad framing). */
  BAD_REQUEST(400, "bad_request", "Bad request"),
  /** Not in the table: management.maxStreams SSE subscribers are connected (CONTRACT §4 "beyond -> 503"). */
  TOO_MANY_STREAMS(503, "too_many_streams", "Too many stream subscribers"),
  /** Not in the table: a bug of ours. Rendered without any detail of the cause. */
  INTERNAL_ERROR(500, "internal_error", "Internal error");

  private final int status;
  private final String code;
  private final String title;

  ErrorCode(int status, String code, String title) {
    this.status = status;
    this.code = code;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  /** CONTRACT §7: 5xx is the gateway failing the tenant, anything else the tenant being refused. */
  public boolean isFailure() {
    return status >= 500;
  }
}
