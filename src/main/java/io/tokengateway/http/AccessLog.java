package io.tokengateway.http;

import io.tokengateway.stats.Outcome;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One structured line per public request (logger {@code access}): ids, status, code, tenant,
 * user, outcome and timings. Never a token, key or {@code Authorization} value.
 */
final class AccessLog {

  private static final Logger LOG = Logger.getLogger("access");

  private AccessLog() {}

  /** A response the pipeline did not produce (404, 405, preflight, unparseable request): no timings known. */
  static void log(HttpServerRequest request, String requestId, int status, String code) {
    if (LOG.isLoggable(Level.INFO)) {
      write(line(request, requestId, status, code));
    }
  }

  /** A token request: who asked, what it came to (null when unauthenticated), what it cost. */
  static void log(Exchange exchange, int status, String code, Outcome outcome) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    JsonObject fields = line(exchange.request, exchange.requestId, status, code);
    if (outcome != null) {
      fields.put("tenant", outcome.tenant()).put("user", exchange.caller.userId()).put("outcome", outcome.kind().label())
        .put("upstreamAttempts", outcome.attempts()).put("upstreamMs", outcome.upstreamNanos() / 1_000_000.0);
    }
    write(fields.put("totalMs", (System.nanoTime() - exchange.startNanos) / 1_000_000.0));
  }

  private static JsonObject line(HttpServerRequest request, String requestId, int status, String code) {
    return new JsonObject().put("requestId", requestId).put("method", request.method().name())
      .put("path", request.path()).put("status", status).put("code", code);
  }

  private static void write(JsonObject fields) {
    LogRecord record = new LogRecord(Level.INFO, "request");
    record.setLoggerName(LOG.getName());
    record.setParameters(new Object[] {fields});
    LOG.log(record);
  }
}
