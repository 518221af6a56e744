package io.tokengateway.upstream;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The attempts of the last {@code rollingWindowMs}, counted as successes and failures in ten buckets
 * (CONTRACT §4 {@code decart.circuitBreaker}): {@link #record} answers whether the circuit should open,
 * i.e. at least {@code failureThreshold} failures AND at least {@code failureRatio} of the attempts.
 * An attempt leaves the window between 0.9 and 1 window after it was recorded (bucket granularity).
 * One lock around a few array cells: called once per attempt, far below contention at Decart's rates.
 */
final class FailureWindow {

  static final int BUCKETS = 10;

  private final int threshold;
  private final double ratio;
  private final long bucketMs;
  private final LongSupplier clockMs;
  private final long[] epochs = new long[BUCKETS];
  private final int[] successes = new int[BUCKETS];
  private final int[] failures = new int[BUCKETS];

  FailureWindow(int threshold, double ratio, long windowMs, LongSupplier clockMs) {
    this.threshold = threshold;
    this.ratio = ratio;
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
    this.clockMs = clockMs;
    Arrays.fill(epochs, Long.MIN_VALUE);
  }

  /** Counts one attempt; true when the window now says "open". */
  synchronized boolean record(boolean failed) {
    long epoch = Math.floorDiv(clockMs.getAsLong(), bucketMs);
    int slot = (int) Math.floorMod(epoch, BUCKETS);
    if (epochs[slot] != epoch) {
      epochs[slot] = epoch;
      successes[slot] = 0;
      failures[slot] = 0;
    }
    if (failed) {
      failures[slot]++;
    } else {
      successes[slot]++;
    }
    return failed && tripped(epoch);
  }

  /** Forgets everything: the circuit has just closed (or opened) and starts a fresh window. */
  synchronized void clear() {
    Arrays.fill(epochs, Long.MIN_VALUE);
  }

  private boolean tripped(long epoch) {
    long failed = 0;
    long total = 0;
    for (int slot = 0; slot < BUCKETS; slot++) {
      if (epochs[slot] > epoch - BUCKETS) {
        failed += failures[slot];
        total += failures[slot] + successes[slot];
      }
    }
    return failed >= threshold && failed >= ratio * total;
  }
}
