package io.tokengateway.upstream;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.DecartConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.function.Consumer;

/**
 * One token request to Decart, retries included (CONTRACT §6 "Retries"): attempts through the
 * breaker, jittered backoff, all within {@code deadlineMs}; aborted (and the attempt in flight
 * reset) when the deadline passes or the caller goes away. Confined to one event loop.
 */
final class UpstreamCall {

  /** Sends one attempt bounded by {@code timeoutMs}; hands the HTTP request over once it exists. */
  @FunctionalInterface
  interface Attempt {
    Future<MintedToken> send(long timeoutMs, Consumer<HttpClientRequest> sent);
  }

  static final GatewayException CALLER_GONE =
    new GatewayException(ErrorCode.UPSTREAM_ERROR, "the caller went away").reason("cancelled");

  private final Vertx vertx;
  private final Resilience resilience;
  private final DecartConfig config;
  private final Attempt attempt;
  private final UpstreamTrace trace;
  private final Promise<MintedToken> result = Promise.promise();
  private long deadlineAt;
  private HttpClientRequest current;
  private GatewayException lastFailure;

  UpstreamCall(Vertx vertx, Resilience resilience, DecartConfig config, Attempt attempt, UpstreamTrace trace) {
    this.vertx = vertx;
    this.resilience = resilience;
    this.config = config;
    this.attempt = attempt;
    this.trace = trace;
  }

  Future<MintedToken> run(Future<Void> callerGone) {
    deadlineAt = System.currentTimeMillis() + config.deadlineMs();
    long timer = vertx.setTimer(config.deadlineMs(), id -> abort(new GatewayException(ErrorCode.UPSTREAM_TIMEOUT,
      "Decart did not answer within the deadline").reason(DecartClient.TIMEOUT)));
    callerGone.onComplete(gone -> abort(CALLER_GONE));
    next(0);
    return result.future().onComplete(done -> {
      vertx.cancelTimer(timer);
      trace.ended();
    });
  }

  private void next(int retry) {
    if (result.future().isComplete()) {
      return;
    }
    trace.attemptStarted();
    long timeoutMs = Math.max(1, Math.min(config.timeoutMs(), deadlineAt - System.currentTimeMillis()));
    resilience.guard(() -> attempt.send(timeoutMs, request -> current = request)
        .recover(failure -> Future.failedFuture(result.future().isComplete() ? result.future().cause() : failure)))
      .onComplete(outcome -> {
        current = null;
        if (outcome.succeeded()) {
          result.tryComplete(outcome.result());
        } else {
          retryOrFail(retry, DecartClient.classify(outcome.cause()));
        }
      });
  }

  private void retryOrFail(int retry, GatewayException failure) {
    if (lastFailure != null && Resilience.CIRCUIT_OPEN.equals(failure.reason())) {
      // The breaker opened between our attempts: Decart's own failure is the better answer.
      failure = lastFailure;
    }
    lastFailure = failure;
    if (retry < config.retry().maxRetries() && DecartClient.isRetryable(failure)) {
      long delay = resilience.backoffMs(retry);
      if (System.currentTimeMillis() + delay < deadlineAt) {
        resilience.recordRetry();
        vertx.setTimer(Math.max(1, delay), id -> next(retry + 1));
        return;
      }
    }
    result.tryFail(failure);
  }

  /** The result is settled first, so the reset attempt's own failure is not mistaken for Decart's. */
  private void abort(GatewayException reason) {
    if (result.tryFail(reason) && current != null) {
      current.reset();
    }
  }
}
