package io.tokengateway.tenant;

/**
 * A tenant's issuance limits (CONTRACT §4 {@code rateLimit}): sustained tokens per second and the
 * bucket size for the whole tenant, and tokens per user per minute. 0 = unlimited.
 */
public record RateLimit(int perSecond, int burst, int perUserPerMinute) {

  public static final RateLimit UNLIMITED = new RateLimit(0, 0, 0);
}
