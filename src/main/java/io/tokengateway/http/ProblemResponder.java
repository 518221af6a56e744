package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes every error response (CONTRACT §6): RFC 9457 problem+json with the contract's code,
 * {@code WWW-Authenticate} on 401s and {@code Retry-After} where set. No other class does.
 */
public final class ProblemResponder {

  public static final String CONTENT_TYPE = "application/problem+json";

  private ProblemResponder() {}

  public static void respond(HttpServerResponse response, GatewayException failure, String requestId) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Part of an answer is out: the only honest signal left is to break the connection.
      response.reset();
      return;
    }
    ErrorCode code = failure.code();
    response.setStatusCode(code.status())
      .putHeader("content-type", CONTENT_TYPE)
      .putHeader("cache-control", "no-store")
      .putHeader(RequestIds.HEADER, requestId);
    if (code == ErrorCode.MISSING_TOKEN) {
      response.putHeader("www-authenticate", "Bearer");
    } else if (code == ErrorCode.INVALID_TOKEN) {
      response.putHeader("www-authenticate", "Bearer error=\"invalid_token\"");
    }
    if (failure.retryAfterSeconds() > 0) {
      response.putHeader("retry-after", Long.toString(failure.retryAfterSeconds()));
    }
    response.end(body(failure, requestId));
  }

  static Buffer body(GatewayException failure, String requestId) {
    ErrorCode code = failure.code();
    JsonObject problem = new JsonObject()
      .put("type", "about:blank")
      .put("title", code.title())
      .put("status", code.status())
      .put("detail", failure.detail() == null ? code.title() : failure.detail())
      .put("code", code.code())
      .put("requestId", requestId);
    if (!failure.errors().isEmpty()) {
      JsonArray errors = new JsonArray();
      failure.errors().forEach(e -> errors.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      problem.put("errors", errors);
    }
    if (failure.upstreamDetail() != null) {
      problem.put("upstreamDetail", failure.upstreamDetail());
    }
    return problem.toBuffer();
  }
}
