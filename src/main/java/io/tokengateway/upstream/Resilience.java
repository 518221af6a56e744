package io.tokengateway.upstream;

import io.tokengateway.GatewayException;
import io.tokengateway.config.DecartConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The process-wide guards of the Decart call (CONTRACT §4 {@code decart}, STYLE §8), shared by
 * every event loop: the in-flight cap, one circuit breaker for the upstream (its state is about
 * Decart being reachable, which does not depend on the tenant's key), and the backoff policy.
 * The breaker keeps vertx-circuit-breaker's state machine and single half-open probe; whether it
 * opens is decided by our {@link FailureWindow} (count AND ratio), which the library cannot express.
 */
public final class Resilience {

  /** Seconds in {@code Retry-After} when the in-flight cap is reached: capacity frees up within a call's time. */
  static final long BULKHEAD_RETRY_AFTER_SECONDS = 1;

  private final DecartConfig config;
  private final CircuitBreaker breaker;
  private final FailureWindow window;
  private final RetryPolicy backoff;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong retries = new AtomicLong();

  public Resilience(Vertx vertx, DecartConfig config) {
    this(vertx, config, () -> System.nanoTime() / 1_000_000);
  }

  /** {@code clockMs}: the failure window's time (tests step it). */
  Resilience(Vertx vertx, DecartConfig config, LongSupplier clockMs) {
    this.config = config;
    DecartConfig.CircuitBreaker settings = config.circuitBreaker();
    this.window = new FailureWindow(settings.failureThreshold(), settings.failureRatio(), settings.rollingWindowMs(),
      clockMs);
    this.breaker = CircuitBreaker.create("decart", vertx, new CircuitBreakerOptions()
        .setMaxFailures(Integer.MAX_VALUE)  // never opens by count: the window decides (see guard)
        .setResetTimeout(settings.resetTimeoutMs())
        .setTimeout(-1)                     // our own per-attempt timeout and deadline apply
        .setMaxRetries(0)                   // our own retry loop, bounded by the deadline
        .setNotificationAddress(null))      // no event-bus chatter
      // Still consulted for the half-open probe: a failed probe re-opens the circuit.
      .failurePolicy(attempt -> attempt.failed() && UpstreamFault.of(attempt.cause()).tripsBreaker())
      .closeHandler(closed -> window.clear());
    this.backoff = backoffPolicy(config.retry());
  }

  /** Takes an in-flight slot, or fails at once when {@code maxInFlight} calls are under way. */
  void admit() {
    while (true) {
      int current = inFlight.get();
      if (current >= config.maxInFlight()) {
        throw UpstreamFault.IN_FLIGHT_CAP.error("too many token requests in flight")
          .retryAfter(BULKHEAD_RETRY_AFTER_SECONDS);
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return;
      }
    }
  }

  void release() {
    inFlight.decrementAndGet();
  }

  /**
   * One attempt through the breaker; an open circuit fails at once without calling Decart. While
   * closed, each finished attempt feeds the window; a caller who left says nothing about Decart.
   */
  Future<MintedToken> guard(Supplier<Future<MintedToken>> attempt) {
    boolean closed = breaker.state() == CircuitBreakerState.CLOSED;
    return breaker.<MintedToken>execute(attempt)
      .onComplete(outcome -> {
        if (closed && !(outcome.failed() && outcome.cause() instanceof OpenCircuitException)) {
          record(outcome.failed() ? UpstreamFault.of(outcome.cause()) : null);
        }
      })
      .recover(failure -> Future.failedFuture(failure instanceof OpenCircuitException ? circuitOpen() : failure));
  }

  private void record(UpstreamFault fault) {
    if (fault != UpstreamFault.CANCELLED && window.record(fault != null && fault.tripsBreaker())
        && breaker.state() == CircuitBreakerState.CLOSED) {
      breaker.open();
      window.clear();
    }
  }

  /**
   * Delay before retry {@code n + 1} (n = retries made so far): vertx-circuit-breaker's full-jitter exponential
   * policy, uniform in [0, min(backoffMaxMs, backoffInitialMs·2^n)). The contract only asks for "exponential
   * backoff with jitter"; a 0 initial delay (allowed by the config) means no wait, which the library refuses.
   */
  long backoffMs(int n) {
    return backoff.delay(null, n);
  }

  private static RetryPolicy backoffPolicy(DecartConfig.Retry retry) {
    if (retry.backoffInitialMs() <= 0) {
      return (failure, n) -> 0;
    }
    return RetryPolicy.exponentialDelayWithJitter(retry.backoffInitialMs(),
      Math.max(retry.backoffInitialMs(), retry.backoffMaxMs()));
  }

  /** CONTRACT §6: every retry is counted (a retried call may have minted a token nobody receives). */
  void recordRetry() {
    retries.incrementAndGet();
  }

  public CircuitBreakerState circuitState() {
    return breaker.state();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long retries() {
    return retries.get();
  }

  private GatewayException circuitOpen() {
    long seconds = (config.circuitBreaker().resetTimeoutMs() + 999) / 1000;
    return UpstreamFault.CIRCUIT_OPEN.error("Decart is failing; calls are paused").retryAfter(seconds);
  }
}
