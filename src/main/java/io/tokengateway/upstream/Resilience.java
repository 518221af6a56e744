package io.tokengateway.upstream;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.DecartConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The process-wide guards of the Decart call (CONTRACT §4 {@code decart}, STYLE §8), shared by
 * every event loop: the in-flight cap, one circuit breaker for the upstream (its state is about
 * Decart being reachable, which does not depend on the tenant's key), and the backoff policy.
 */
public final class Resilience {

  /** Reasons that are Decart failing (they feed the breaker); 4xx answers and redirects are not. */
  static final Set<String> FAILURE_REASONS = Set.of(DecartClient.TIMEOUT, DecartClient.CONNECTION,
    DecartClient.SERVER_ERROR, DecartClient.OTHER_SERVER_ERROR, DecartClient.BAD_ANSWER);
  static final String CIRCUIT_OPEN = "circuit_open";
  /** Seconds in {@code Retry-After} when the in-flight cap is reached: capacity frees up within a call's time. */
  static final long BULKHEAD_RETRY_AFTER_SECONDS = 1;

  private final DecartConfig config;
  private final CircuitBreaker breaker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong retries = new AtomicLong();

  public Resilience(Vertx vertx, DecartConfig config) {
    this.config = config;
    DecartConfig.CircuitBreaker settings = config.circuitBreaker();
    this.breaker = CircuitBreaker.create("decart", vertx, new CircuitBreakerOptions()
        .setMaxFailures(settings.failureThreshold())
        .setFailuresRollingWindow(settings.rollingWindowMs())
        .setResetTimeout(settings.resetTimeoutMs())
        .setTimeout(-1)                 // our own per-attempt timeout and deadline apply
        .setMaxRetries(0)               // our own retry loop, bounded by the deadline
        .setNotificationAddress(null))  // no event-bus chatter
      .failurePolicy(attempt -> attempt.failed() && isFailure(attempt.cause()));
  }

  /** Takes an in-flight slot, or fails at once when {@code maxInFlight} calls are under way. */
  void admit() {
    while (true) {
      int current = inFlight.get();
      if (current >= config.maxInFlight()) {
        throw new GatewayException(ErrorCode.UPSTREAM_UNAVAILABLE, "too many token requests in flight")
          .reason("in_flight_cap").retryAfter(BULKHEAD_RETRY_AFTER_SECONDS);
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return;
      }
    }
  }

  void release() {
    inFlight.decrementAndGet();
  }

  /** One attempt through the breaker; an open circuit fails at once without calling Decart. */
  Future<MintedToken> guard(Supplier<Future<MintedToken>> attempt) {
    return breaker.<MintedToken>execute(attempt).recover(failure -> Future.failedFuture(
      failure instanceof OpenCircuitException ? circuitOpen() : failure));
  }

  /** Jittered exponential backoff before retry {@code n + 1}: uniform in [initial, min(max, initial·2^(n+1))]. */
  long backoffMs(int n) {
    long initial = config.retry().backoffInitialMs();
    long cap = Math.min(config.retry().backoffMaxMs(), initial << Math.min(n + 1, 20));
    return cap <= initial ? cap : ThreadLocalRandom.current().nextLong(initial, cap + 1);
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

  static boolean isFailure(Throwable failure) {
    return !(failure instanceof GatewayException known) || FAILURE_REASONS.contains(known.reason());
  }

  private GatewayException circuitOpen() {
    long seconds = (config.circuitBreaker().resetTimeoutMs() + 999) / 1000;
    return new GatewayException(ErrorCode.UPSTREAM_UNAVAILABLE, "Decart is failing; calls are paused")
      .reason(CIRCUIT_OPEN).retryAfter(seconds);
  }
}
