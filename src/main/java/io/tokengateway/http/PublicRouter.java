package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.decart.DecartRules;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The public port's routes (CONTRACT §5), in declared order: request id → CORS → the two token
 * endpoints; every miss (404, 405, management paths) answers problem+json.
 */
public final class PublicRouter {

  public static final String CLIENT_TOKEN_PATH = "/api/get-client-token";
  /** CONTRACT §12: heartbeat ({@code POST …/heartbeat}) and release ({@code DELETE}) of a session lease. */
  public static final String LEASE_PATH = "/v1/sessions/:leaseId";

  private PublicRouter() {}

  public static Router create(Vertx vertx, IssueTokenHandler issue, LeaseHandler leases, List<String> corsOrigins,
                              Readiness readiness) {
    Router router = Router.router(vertx);
    Cors cors = new Cors(corsOrigins);
    router.route().order(0).handler(ctx -> stamp(ctx, readiness));
    router.route().order(1).handler(cors::handle);
    router.post(DecartRules.TOKEN_PATH).order(2).handler(ctx -> issue.handle(ctx, IssueTokenHandler.Shape.DECART));
    router.post(CLIENT_TOKEN_PATH).order(3).handler(ctx -> issue.handle(ctx, IssueTokenHandler.Shape.CLIENT_TOKEN));
    router.post(LEASE_PATH + "/heartbeat").order(4).handler(leases::heartbeat);
    router.delete(LEASE_PATH).order(5).handler(leases::release);
    router.errorHandler(404, ctx -> fail(ctx, ErrorCode.NOT_FOUND, "no such endpoint"));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader("allow", "POST");
      fail(ctx, ErrorCode.METHOD_NOT_ALLOWED, "use POST");
    });
    router.errorHandler(500, ctx -> ProblemResponder.respond(ctx.response(),
      IssueTokenHandler.asGatewayFailure(ctx.failure(), ctx.request(), requestId(ctx)), requestId(ctx)));
    return router;
  }

  /** The request's id, stamped on the response by the first handler. */
  static String requestId(RoutingContext ctx) {
    String id = ctx.response().headers().get(RequestIds.HEADER);
    return id != null ? id : RequestIds.of(ctx.request());
  }

  /** HTTP requests Netty could not parse (head too large, bad framing): answered before any route. */
  public static void rejectInvalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    boolean tooLarge = cause instanceof io.netty.handler.codec.TooLongFrameException;
    GatewayException failure = tooLarge
      ? new GatewayException(ErrorCode.HEADERS_TOO_LARGE, "the request head is too large")
      : new GatewayException(ErrorCode.BAD_REQUEST, "the HTTP request could not be parsed");
    Hangup.afterUnreadBody(request);
    String requestId = RequestIds.generate();
    ProblemResponder.respond(request.response(), failure, requestId);
    AccessLog.log(request, requestId, failure.code().status(), failure.code().code());
  }

  /** Every response carries the request id; while draining, keep-alive ends so callers move to other pods. */
  private static void stamp(RoutingContext ctx, Readiness readiness) {
    ctx.response().putHeader(RequestIds.HEADER, RequestIds.of(ctx.request()));
    if (readiness.isShuttingDown()) {
      Hangup.forDrain(ctx.request());
    }
    ctx.next();
  }

  private static void fail(RoutingContext ctx, ErrorCode code, String detail) {
    ProblemResponder.respond(ctx.response(), new GatewayException(code, detail), requestId(ctx));
    AccessLog.log(ctx.request(), requestId(ctx), code.status(), code.code());
  }
}
