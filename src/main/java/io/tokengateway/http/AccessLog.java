package io.tokengateway.http;

import io.tokengateway.logging.LogLine;
import io.tokengateway.logging.Millis;
import io.tokengateway.stats.Outcome;
import io.tokengateway.upstream.Forwarded;
import io.vertx.core.http.HttpServerRequest;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One structured line per public request (logger {@code access}): ids, status, code, tenant,
 * user, outcome and timings, each its own field. Never a token, key or {@code Authorization} value.
 */
final class AccessLog {

  private static final Logger LOG = LogManager.getLogger("access");
  /** The fields of a token request's line (requestId, traceId, method, path, status, code, tenant, user, outcome,
   *  upstreamAttempts, upstreamMs, totalMs): its map is sized once instead of growing twice. */
  private static final int FIELDS = 12;

  private AccessLog() {}

  /** A response the pipeline did not produce (404, 405, preflight, unparseable request): no timings known. */
  static void log(HttpServerRequest request, String requestId, int status, String code) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(request, requestId, Forwarded.of(requestId, request).traceId(), status, code));
    }
  }

  /** A token request: who asked, what it came to (null when unauthenticated), what it cost. */
  static void log(Exchange exchange, int status, String code, Outcome outcome) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LogLine line = line(exchange.request, exchange.requestId, exchange.forwarded().traceId(), status, code);
    if (outcome != null) {
      line.with("tenant", outcome.tenant()).with("user", exchange.caller.userId())
        .with("outcome", outcome.kind().label()).with("upstreamAttempts", outcome.attempts())
        .with("upstreamMs", Millis.ofNanos(outcome.upstreamNanos()));
    }
    LOG.info(line.with("totalMs", Millis.ofNanos(System.nanoTime() - exchange.startNanos)));
  }

  private static LogLine line(HttpServerRequest request, String requestId, String traceId, int status, String code) {
    return LogLine.of("request", FIELDS, requestId, traceId)
      .with("method", request.method().name()).with("path", request.path()).with("status", status)
      .with("code", (Object) code);
  }
}
