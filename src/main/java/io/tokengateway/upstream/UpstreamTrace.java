package io.tokengateway.upstream;

/**
 * What one call to Decart cost, for metrics and the access log: attempts sent and the time from
 * the first attempt to the end. Written and read on the request's event loop only.
 */
public final class UpstreamTrace {

  private int attempts;
  private long startNanos;
  private long endNanos;

  void attemptStarted() {
    if (attempts++ == 0) {
      startNanos = System.nanoTime();
    }
  }

  void ended() {
    endNanos = System.nanoTime();
  }

  public int attempts() {
    return attempts;
  }

  public long nanos() {
    return attempts == 0 ? 0 : Math.max(0, (endNanos == 0 ? System.nanoTime() : endNanos) - startNanos);
  }
}
