package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * CORS for {@code server.cors.allowedOrigins} (CONTRACT §4): an allowed origin gets the
 * {@code Access-Control-*} headers and preflights; any other gets none, so the browser blocks it.
 * Server-side origin policy is the tenant's ({@code origin_not_allowed}), not this.
 */
final class Cors {

  static final String ALLOWED_HEADERS = "authorization, content-type, x-request-id, traceparent, tracestate, prefer";
  /** CONTRACT §5 "Browser-readable answers": what browser code may read, on answers and refusals alike. */
  static final String EXPOSED_HEADERS = "x-request-id, Retry-After, RateLimit, RateLimit-Policy, Session-Lease";
  static final int PREFLIGHT_MAX_AGE_SECONDS = 600;

  private final Set<String> allowedOrigins;

  Cors(List<String> allowedOrigins) {
    this.allowedOrigins = Set.copyOf(allowedOrigins);
  }

  void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("origin");
    boolean preflight = ctx.request().method() == HttpMethod.OPTIONS
      && ctx.request().getHeader("access-control-request-method") != null;
    if (allowedOrigins.isEmpty() || origin == null) {
      ctx.next();
      return;
    }
    HttpServerResponse response = ctx.response().putHeader("vary", "Origin");
    if (!allowedOrigins.contains(origin)) {
      if (preflight) {
        ProblemResponder.respond(response, new GatewayException(ErrorCode.ORIGIN_NOT_ALLOWED,
          "this origin may not call the API from a browser"), PublicRouter.requestId(ctx));
        AccessLog.log(ctx.request(), PublicRouter.requestId(ctx), 403, ErrorCode.ORIGIN_NOT_ALLOWED.code());
      } else {
        ctx.next();
      }
      return;
    }
    response.putHeader("access-control-allow-origin", origin);
    if (preflight) {
      response.setStatusCode(204)
        .putHeader("access-control-allow-methods", "POST, DELETE")
        .putHeader("access-control-allow-headers", ALLOWED_HEADERS)
        .putHeader("access-control-max-age", Integer.toString(PREFLIGHT_MAX_AGE_SECONDS))
        .end();
      AccessLog.log(ctx.request(), PublicRouter.requestId(ctx), 204, null);
      return;
    }
    response.putHeader("access-control-expose-headers", EXPOSED_HEADERS);
    ctx.next();
  }
}
