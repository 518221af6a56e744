package io.tokengateway.sessions;

import io.tokengateway.ErrorCode;

/**
 * Why admission said no (CONTRACT §12 steps 1–3, and the quota bound), with its answer and the
 * {@code token_gateway_session_refusals_total} reason label: a closed set, checked against §6 at a glance.
 */
public enum Refusal {
  USER(ErrorCode.SESSION_LIMIT, "user", "this user holds its maximum of concurrent sessions"),
  TENANT(ErrorCode.SESSION_LIMIT, "tenant", "this tenant holds its maximum of concurrent sessions"),
  ACCOUNT(ErrorCode.CAPACITY_EXHAUSTED, "account", "the Decart account has no free realtime slot for this tenant"),
  QUOTA(ErrorCode.CAPACITY_EXHAUSTED, "quota", "the Decart account reports no remaining realtime capacity");

  private final ErrorCode code;
  private final String label;
  private final String detail;

  Refusal(ErrorCode code, String label, String detail) {
    this.code = code;
    this.label = label;
    this.detail = detail;
  }

  public ErrorCode code() {
    return code;
  }

  public String label() {
    return label;
  }

  public String detail() {
    return detail;
  }
}
