package io.tokengateway.http;

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

  static void log(HttpServerRequest request, String requestId, int status, String code, long startNanos,
                  JsonObject details) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    JsonObject fields = new JsonObject().put("requestId", requestId).put("method", request.method().name())
      .put("path", request.path()).put("status", status).put("code", code);
    if (details != null) {
      fields.mergeIn(details);
    }
    fields.put("totalMs", (System.nanoTime() - startNanos) / 1_000_000.0);
    LogRecord record = new LogRecord(Level.INFO, "request");
    record.setLoggerName(LOG.getName());
    record.setParameters(new Object[] {fields});
    LOG.log(record);
  }
}
