package io.tokengateway.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One tenant's bucket (CONTRACT §4 {@code rateLimit.perSecond}/{@code burst}) as a GCRA: the whole state is the
 * instant the bucket will be full again, one {@link AtomicLong} moved by CAS, so every event loop takes from it
 * without a lock in O(1). Times are nanoseconds on the limiter's clock, which starts at 0 and never goes back.
 */
final class TokenBucket {

  /** {@link #tryTake}: no token now. */
  static final long REFUSED = -1;
  /** {@link #tryTake}: this bucket was replaced by {@link #resize}; look the tenant's bucket up again. */
  static final long RETIRED = -2;
  /** {@link #fullAt} of a bucket replaced by {@link #resize}: nothing more is taken from it. */
  private static final long RETIRED_STATE = Long.MIN_VALUE;
  private static final double NANOS_PER_SECOND = 1e9;

  private final double perSecond;
  private final int burst;
  /** One token's worth of time (GCRA's emission interval). */
  private final long intervalNanos;
  /** {@code burst} tokens' worth of time: the most debt the bucket may hold. */
  private final long capacityNanos;
  /** At or before now = full; else {@code fullAt - now} is the debt: the time to refill what was taken. */
  private final AtomicLong fullAt;

  /** {@code perSecond} is a double so that a node's share of a cluster-wide rate (CONTRACT §10) fits too. */
  TokenBucket(double perSecond, int burst, long fullAt) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("a bucket needs perSecond > 0 and burst >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.intervalNanos = interval(perSecond);
    this.capacityNanos = intervalNanos * burst;
    this.fullAt = new AtomicLong(fullAt);
  }

  /** A full bucket. */
  static TokenBucket full(double perSecond, int burst) {
    return new TokenBucket(perSecond, burst, 0);
  }

  boolean hasLimits(double perSecond, int burst) {
    return this.perSecond == perSecond && this.burst == burst;
  }

  boolean isRetired() {
    return fullAt.get() == RETIRED_STATE;
  }

  /** Takes one token at {@code now}: the debt left after taking it (nanos), or {@link #REFUSED} / {@link #RETIRED}. */
  long tryTake(long now) {
    while (true) {
      long full = fullAt.get();
      if (full == RETIRED_STATE) {
        return RETIRED;
      }
      long debt = Math.max(full - now, 0) + intervalNanos;
      if (debt > capacityNanos) {
        return REFUSED;
      }
      if (fullAt.compareAndSet(full, now + debt)) {
        return debt;
      }
    }
  }

  /**
   * Gives back a token just taken. Exact unless the bucket refilled completely in between (then up to one
   * token too generous); lost if the bucket was retired meanwhile (one token too strict). Both are harmless.
   */
  void refund() {
    long full;
    do {
      full = fullAt.get();
    } while (full != RETIRED_STATE && !fullAt.compareAndSet(full, full - intervalNanos));
  }

  /** Nanos until a token can be taken (0 = now). */
  long waitNanos(long now) {
    long full = fullAt.get();
    long debt = full == RETIRED_STATE ? 0 : Math.max(full - now, 0);
    return Math.max(debt + intervalNanos - capacityNanos, 0);
  }

  /** Whole tokens left when the debt is {@code debt}. */
  long remaining(long debt) {
    return (capacityNanos - debt) / intervalNanos;
  }

  /** Nanos until the next whole token comes back (0 = the bucket is full). */
  long nanosToNextToken(long debt) {
    return debt <= 0 ? 0 : (debt - 1) % intervalNanos + 1;
  }

  /**
   * A bucket with new limits that keeps this one's level (whole and fractional tokens, clamped to the new burst).
   * Reading the level retires this one in the same atomic step, so no token is taken from it afterwards. Called
   * once per bucket: the limiter replaces buckets one at a time per tenant.
   */
  TokenBucket resize(double newPerSecond, int newBurst, long now) {
    long full = fullAt.getAndSet(RETIRED_STATE);
    double level = burst - (double) Math.max(full - now, 0) / intervalNanos;
    double newDebtTokens = newBurst - Math.min(level, newBurst);
    return new TokenBucket(newPerSecond, newBurst, now + Math.round(newDebtTokens * interval(newPerSecond)));
  }

  private static long interval(double perSecond) {
    return Math.max(1, Math.round(NANOS_PER_SECOND / perSecond));
  }
}
