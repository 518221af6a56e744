package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.auth.Authenticator;
import io.tokengateway.control.Blocks;
import io.tokengateway.control.Ledger;
import io.tokengateway.policy.PolicyEnforcer;
import io.tokengateway.ratelimit.Admission;
import io.tokengateway.ratelimit.RateLimiter;
import io.tokengateway.policy.TokenRequest;
import io.tokengateway.policy.UpstreamBody;
import io.tokengateway.tenant.TenantDirectory;
import io.tokengateway.upstream.DecartClient;
import io.tokengateway.upstream.Forwarded;
import io.tokengateway.upstream.MintedToken;
import io.tokengateway.upstream.UpstreamFault;
import io.vertx.core.AsyncResult;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import io.tokengateway.logging.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The pipeline, written once (STYLE §2, CONTRACT §5): authenticate → resolve tenant → blocked? → admit (rate) →
 * read body and apply policy → call Decart → relay. A request refused at any step makes no
 * upstream call; every failure leaves through {@link ProblemResponder}; each request is reported once.
 */
public final class IssueTokenHandler {

  /** What the answer looks like: Decart's own body, or the shape of Decart's docs' backend example. */
  public enum Shape { DECART, CLIENT_TOKEN }

  private static final Logger LOG = LogManager.getLogger(IssueTokenHandler.class);
  private static final GatewayException CALLER_GONE =
    UpstreamFault.CANCELLED.error("the caller went away before the answer");

  private final Authenticator authenticator;
  private final TenantDirectory tenants;
  private final RateLimiter limiter;
  private final DecartClient decart;
  private final BodyReader bodyReader;
  private final Reporter reporter;
  private final int readTimeoutMs;
  private final Blocks blocks;
  private final Ledger ledger;

  IssueTokenHandler(Authenticator authenticator, TenantDirectory tenants, RateLimiter limiter, DecartClient decart,
                    BodyReader bodyReader, Reporter reporter, int readTimeoutMs, Blocks blocks, Ledger ledger) {
    this.blocks = blocks;
    this.ledger = ledger;
    this.authenticator = authenticator;
    this.tenants = tenants;
    this.limiter = limiter;
    this.decart = decart;
    this.bodyReader = bodyReader;
    this.reporter = reporter;
    this.readTimeoutMs = readTimeoutMs;
  }

  public void handle(RoutingContext ctx, Shape shape) {
    HttpServerRequest request = ctx.request();
    request.pause();  // the body is read only once the caller is known and admitted
    long readDeadline = System.currentTimeMillis() + readTimeoutMs;
    Exchange exchange = new Exchange(request, PublicRouter.requestId(ctx));
    Promise<Void> callerGone = Promise.promise();
    request.response().closeHandler(closed -> callerGone.tryComplete());
    authenticator.authenticate(request.headers().getAll("authorization"))
      .map(exchange::authenticated)
      .map(caller -> exchange.resolved(tenants.resolve(caller.tenantId())))
      .map(tenant -> blocks.check(tenant, exchange.caller))
      .map(tenant -> admit(exchange))
      .compose(admitted -> bodyReader.read(request, readDeadline).map(body -> apply(exchange, body)))
      .compose(body -> decart.createToken(exchange.tenant, body, Forwarded.of(exchange.requestId, request),
        callerGone.future(), exchange.upstream))
      .onComplete(result -> finish(exchange, shape, result));
  }

  /** The tenant's and the user's rate (CONTRACT §6 429); the RateLimit headers go on the 200 and the 429 alike. */
  private Admission admit(Exchange exchange) {
    Admission admission = limiter.admit(exchange.tenant, exchange.caller.userId());
    admission.headers().forEach(exchange.request.response()::putHeader);
    return admission.orThrow();
  }

  private static UpstreamBody apply(Exchange exchange, Buffer body) {
    HttpServerRequest request = exchange.request;
    if (body.length() > 0 && !isJson(request.getHeader("content-type"))) {
      throw new GatewayException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
    }
    exchange.sent = PolicyEnforcer.apply(TokenRequest.parse(body), exchange.tenant, exchange.caller,
      request.getHeader("origin"));
    return exchange.sent;
  }

  private void finish(Exchange exchange, Shape shape, AsyncResult<MintedToken> result) {
    HttpServerRequest request = exchange.request;
    HttpServerResponse response = request.response();
    if (result.succeeded()) {
      if (relay(response, shape, exchange.requestId, result.result())) {
        // leaseId: null until session admission (CONTRACT §12) hands this request its lease.
        ledger.record(exchange.requestId, exchange.caller, exchange.tenant, exchange.sent, result.result(), null);
        reporter.issued(exchange);
      } else {
        reporter.refused(exchange, CALLER_GONE);  // minted, but nobody received it: not issued (CONTRACT §7)
      }
      return;
    }
    GatewayException failure = asGatewayFailure(result.cause(), request, exchange.requestId);
    if (!request.isEnded()) {
      Hangup.afterUnreadBody(request);
    }
    ProblemResponder.respond(response, failure, exchange.requestId);
    reporter.refused(exchange, failure);
  }

  /** False when the caller is gone: the token then never left the gateway. */
  private static boolean relay(HttpServerResponse response, Shape shape, String requestId, MintedToken token) {
    if (response.closed()) {
      return false;
    }
    Buffer body = shape == Shape.DECART ? token.body()
      : new JsonObject().put("clientToken", token.apiKey()).put("expiresAt", token.expiresAt()).toBuffer();
    response.setStatusCode(200)
      .putHeader("content-type", "application/json")
      .putHeader("cache-control", "no-store")
      .putHeader(RequestIds.HEADER, requestId)
      .end(body);
    return true;
  }

  static GatewayException asGatewayFailure(Throwable cause, HttpServerRequest request, String requestId) {
    if (cause instanceof GatewayException known) {
      return known;
    }
    LOG.error(LogLine.of("unexpected failure", requestId, Forwarded.of(requestId, request).traceId()), cause);
    return new GatewayException(ErrorCode.INTERNAL_ERROR, "an internal error occurred");
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
  }
}
