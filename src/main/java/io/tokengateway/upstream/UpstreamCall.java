package io.tokengateway.upstream;

import io.tokengateway.GatewayException;
import io.tokengateway.config.DecartConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One token request to Decart, retries included (CONTRACT §6 "Retries", §14): attempts through the
 * breaker, jittered backoff, all within {@code deadlineMs}; a key Decart rejects is replaced by the
 * account's next one at once; the call ends when the deadline passes or the caller goes away.
 * Confined to one event loop.
 */
final class UpstreamCall {

  /** Sends one attempt with {@code key}, bounded by {@code timeoutMs}. */
  @FunctionalInterface
  interface Attempt {
    Future<MintedToken> send(String key, long timeoutMs);
  }

  private final Vertx vertx;
  private final Resilience resilience;
  private final DecartConfig config;
  private final KeyRing keys;
  private final Attempt attempt;
  private final UpstreamTrace trace;
  private final Forwarded forwarded;
  private final Promise<MintedToken> result = Promise.promise();
  private final List<String> tried = new ArrayList<>(2);
  private long deadlineAt;
  private GatewayException lastFailure;

  UpstreamCall(Vertx vertx, Resilience resilience, DecartConfig config, KeyRing keys, Attempt attempt,
               UpstreamTrace trace, Forwarded forwarded) {
    this.vertx = vertx;
    this.resilience = resilience;
    this.config = config;
    this.keys = keys;
    this.attempt = attempt;
    this.trace = trace;
    this.forwarded = forwarded;
  }

  Future<MintedToken> run(Future<Void> callerGone) {
    deadlineAt = System.currentTimeMillis() + config.deadlineMs();
    long timer = vertx.setTimer(config.deadlineMs(), id ->
      result.tryFail(UpstreamFault.TIMEOUT.error("Decart did not answer within the deadline")));
    callerGone.onComplete(gone -> result.tryFail(UpstreamFault.CANCELLED.error("the caller went away")));
    next(0, keys.next(tried));
    return result.future().onComplete(done -> {
      vertx.cancelTimer(timer);
      trace.ended();
    });
  }

  /**
   * An attempt still in flight when the call ends is not reset (the WebClient's public API cannot reach
   * its request): it ends by its own {@code timeout}, which is never later than the deadline, and its
   * outcome is discarded; its failure is reported as the call's (a cancelled one never feeds the breaker).
   */
  private void next(int retry, String key) {
    if (result.future().isComplete()) {
      return;
    }
    trace.attemptStarted();
    tried.add(key);
    long timeoutMs = Math.max(1, Math.min(config.timeoutMs(), deadlineAt - System.currentTimeMillis()));
    resilience.guard(() -> attempt.send(key, timeoutMs)
        .recover(failure -> Future.failedFuture(result.future().isComplete() ? result.future().cause() : failure)))
      .onComplete(outcome -> {
        if (outcome.succeeded()) {
          result.tryComplete(outcome.result());
        } else if (UpstreamFault.of(outcome.cause()) == UpstreamFault.KEY_REJECTED && !result.future().isComplete()) {
          nextKey(retry, key);
        } else {
          retryOrFail(retry, UpstreamFault.asError(outcome.cause()), key);
        }
      });
  }

  /** CONTRACT §14: the same request once more with the account's next usable key, without backoff. */
  private void nextKey(int retry, String rejectedKey) {
    keys.reject(rejectedKey, forwarded.requestId(), forwarded.traceId());
    String other = keys.next(tried);
    if (other != null && System.currentTimeMillis() < deadlineAt) {
      next(retry, other);
    } else {
      result.tryFail(UpstreamFault.KEY_REJECTED.error("Decart rejected the gateway's credentials"));
    }
  }

  private void retryOrFail(int retry, GatewayException failure, String key) {
    if (result.future().isComplete()) {
      return;
    }
    if (lastFailure != null && UpstreamFault.of(failure) == UpstreamFault.CIRCUIT_OPEN) {
      // The breaker opened between our attempts: Decart's own failure is the better answer.
      failure = lastFailure;
    }
    lastFailure = failure;
    if (retry < config.retry().maxRetries() && UpstreamFault.of(failure).retried()) {
      long delay = resilience.backoffMs(retry);
      if (System.currentTimeMillis() + delay < deadlineAt) {
        resilience.recordRetry();
        vertx.setTimer(Math.max(1, delay), id -> next(retry + 1, key));
        return;
      }
    }
    result.tryFail(failure);
  }
}
