package io.tokengateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when told: the limiter's and its cache's time in tests. */
final class FakeClock implements LongSupplier {

  private final AtomicLong nanos;

  /** Starts anywhere, like {@link System#nanoTime()} (which may be negative). */
  FakeClock(long startNanos) {
    nanos = new AtomicLong(startNanos);
  }

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }
}
