package io.tokengateway.tenant;

/**
 * A tenant's realtime session admission (CONTRACT §4 {@code sessions}, §12). {@code maxConcurrent} 0 = off:
 * the tenant's tokens hold no lease and carry no {@code Session-Lease} header.
 */
public record SessionPolicy(int maxConcurrent, int perUserMaxConcurrent, int guaranteed, int defaultSessionSeconds,
                            int maxWaitSeconds, int maxWaiting) {

  public static final int DEFAULT_SESSION_SECONDS = 600;
  public static final int DEFAULT_MAX_WAITING = 100;
  /** Admission off: the built-in default. */
  public static final SessionPolicy OFF = new SessionPolicy(0, 0, 0, DEFAULT_SESSION_SECONDS, 0, DEFAULT_MAX_WAITING);

  public boolean enabled() {
    return maxConcurrent > 0;
  }
}
