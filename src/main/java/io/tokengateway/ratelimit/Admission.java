package io.tokengateway.ratelimit;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.tenant.RateLimit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What {@link RateLimiter#admit} decided, and the IETF RateLimit headers that say so (draft-ietf-httpapi-ratelimit-
 * headers-10) on 200s and 429s: {@code policy} is the limit closest to exhaustion (or the one that refused), with its
 * {@code remaining} units and the seconds until one comes back; {@code retryAfterSeconds} is 0 when allowed.
 */
public record Admission(RateLimit limit, String policy, long remaining, long resetSeconds, long retryAfterSeconds) {

  public static final String POLICY_HEADER = "RateLimit-Policy";
  public static final String RATE_LIMIT_HEADER = "RateLimit";
  /** Policy names: the tenant's bucket, the per-user window. */
  public static final String TENANT = "tenant";
  public static final String USER = "user";
  private static final long NANOS_PER_SECOND = 1_000_000_000;

  /** No limit applies: no headers. */
  static Admission unlimited(RateLimit limit) {
    return new Admission(limit, null, 0, 0, 0);
  }

  static Admission admitted(RateLimit limit, String policy, long remaining, long resetNanos) {
    return new Admission(limit, policy, remaining, seconds(resetNanos), 0);
  }

  /** Refused by {@code policy}; Retry-After is the real wait rounded up, at least 1 s. */
  static Admission refused(RateLimit limit, String policy, long waitNanos) {
    long wait = Math.max(seconds(waitNanos), 1);
    return new Admission(limit, policy, 0, wait, wait);
  }

  /** The one with fewer admissions left (then the longer wait); either may be null. */
  static Admission closer(Admission a, Admission b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    if (a.remaining != b.remaining) {
      return a.remaining < b.remaining ? a : b;
    }
    return a.resetSeconds >= b.resetSeconds ? a : b;
  }

  public boolean allowed() {
    return retryAfterSeconds == 0;
  }

  /** This admission when allowed; else the 429 {@code rate_limited}, naming the limit, with Retry-After. */
  public Admission orThrow() {
    if (allowed()) {
      return this;
    }
    String detail = (TENANT.equals(policy) ? "tenant" : "per-user") + " rate limit exceeded";
    throw new GatewayException(ErrorCode.RATE_LIMITED, detail).retryAfter(retryAfterSeconds);
  }

  /**
   * Every limit of the tenant, e.g. {@code "tenant";q=100;w=2, "user";q=30;w=60}; null when none applies. The
   * bucket is shown as its burst and the seconds it takes to refill ({@code q=burst;w=ceil(burst/perSecond)}),
   * or as its rate ({@code q=perSecond;w=1}) when the burst is smaller than one second's worth.
   */
  public String policyHeader() {
    StringJoiner policies = new StringJoiner(", ");
    if (limit.perSecond() > 0) {
      boolean byBurst = limit.burst() >= limit.perSecond();
      long window = byBurst ? (limit.burst() + limit.perSecond() - 1L) / limit.perSecond() : 1;
      policies.add(item(TENANT) + ";q=" + (byBurst ? limit.burst() : limit.perSecond()) + ";w=" + window);
    }
    if (limit.perUserPerMinute() > 0) {
      policies.add(item(USER) + ";q=" + limit.perUserPerMinute() + ";w=" + UserWindow.WINDOW_MS / 1000);
    }
    return policies.length() == 0 ? null : policies.toString();
  }

  /** The limit closest to exhaustion, e.g. {@code "user";r=12;t=40} ({@code t} left out when full); null when none. */
  public String rateLimitHeader() {
    if (policy == null) {
      return null;
    }
    return item(policy) + ";r=" + remaining + (resetSeconds > 0 ? ";t=" + resetSeconds : "");
  }

  /** Both headers by name (empty when no limit applies): {@code admission.headers().forEach(response::putHeader)}. */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (policy != null) {
      headers.put(POLICY_HEADER, policyHeader());
      headers.put(RATE_LIMIT_HEADER, rateLimitHeader());
    }
    return headers;
  }

  private static String item(String name) {
    return '"' + name + '"';
  }

  private static long seconds(long nanos) {
    return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
  }
}
