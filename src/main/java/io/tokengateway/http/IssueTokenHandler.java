package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.auth.Authenticator;
import io.tokengateway.auth.Caller;
import io.tokengateway.control.Blocks;
import io.tokengateway.control.Ledger;
import io.tokengateway.sessions.Grant;
import io.tokengateway.sessions.SessionAdmission;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.Future;
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
 * The pipeline, written once (STYLE §2, CONTRACT §5): authenticate → resolve tenant → blocked? (§13) → rate limit →
 * read body and apply policy → session admission (§12) → call Decart → relay. A request refused at any step makes no
 * upstream call; every failure leaves through {@link ProblemResponder}; each request is reported once.
 */
public final class IssueTokenHandler {

  /** What the answer looks like: Decart's own body, or the shape of Decart's docs' backend example. */
  public enum Shape { DECART, CLIENT_TOKEN }

  /** CONTRACT §12: the lease id on the 200 of both token endpoints. */
  public static final String SESSION_LEASE_HEADER = "Session-Lease";

  // What each stage hands the next (STYLE §3): who asks, what policy approved, what admission granted, what
  // Decart minted. The Exchange keeps only the request's own state and the facts for its single report.
  private record Requester(Caller caller, Tenant tenant) {}

  private record Approved(Requester requester, UpstreamBody body) {}

  private record Admitted(Approved approved, Grant grant) {}

  private record Minted(Admitted admitted, MintedToken token) {
    Grant grant() {
      return admitted.grant();
    }
  }

  private static final Logger LOG = LogManager.getLogger(IssueTokenHandler.class);
  private static final GatewayException CALLER_GONE =
    UpstreamFault.CANCELLED.error("the caller went away before the answer");

  private final Authenticator authenticator;
  private final TenantDirectory tenants;
  private final RateLimiter limiter;
  private final SessionAdmission sessions;
  private final DecartClient decart;
  private final BodyReader bodyReader;
  private final Reporter reporter;
  private final int readTimeoutMs;
  private final Blocks blocks;
  private final Ledger ledger;

  IssueTokenHandler(Authenticator authenticator, TenantDirectory tenants, RateLimiter limiter,
                    Blocks blocks, SessionAdmission sessions, DecartClient decart, BodyReader bodyReader,
                    Reporter reporter, Ledger ledger, int readTimeoutMs) {
    this.blocks = blocks;
    this.ledger = ledger;
    this.authenticator = authenticator;
    this.tenants = tenants;
    this.limiter = limiter;
    this.sessions = sessions;
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
      .map(caller -> resolve(exchange, caller))
      .map(requester -> checkBlocks(requester))
      .map(requester -> limitRate(exchange, requester))
      .compose(requester -> bodyReader.read(request, readDeadline).map(body -> apply(exchange, requester, body)))
      .compose(approved -> admitSession(exchange, approved, callerGone.future()))
      .compose(admitted -> mint(exchange, admitted, callerGone.future()))
      .onComplete(result -> finish(exchange, shape, result));
  }

  /** The caller's tenant (CONTRACT §6 403 unknown_tenant / tenant_disabled); both are facts for the report. */
  private Requester resolve(Exchange exchange, Caller caller) {
    exchange.authenticated(caller);
    return new Requester(caller, exchange.resolved(tenants.resolve(caller.tenantId())));
  }

  /** CONTRACT §13: a blocked tenant or user is refused before the rate limit spends anything (403 blocked). */
  private Requester checkBlocks(Requester requester) {
    blocks.check(requester.tenant(), requester.caller());
    return requester;
  }

  /** The tenant's and the user's rate (CONTRACT §6 429); the RateLimit headers go on the 200 and the 429 alike. */
  private Requester limitRate(Exchange exchange, Requester requester) {
    Admission admission = limiter.admit(requester.tenant(), requester.caller().userId());
    admission.headers().forEach(exchange.request.response()::putHeader);
    admission.orThrow();
    return requester;
  }

  private static Approved apply(Exchange exchange, Requester requester, Buffer body) {
    HttpServerRequest request = exchange.request;
    if (body.length() > 0 && !isJson(request.getHeader("content-type"))) {
      throw new GatewayException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
    }
    return new Approved(requester, PolicyEnforcer.apply(TokenRequest.parse(body), requester.tenant(),
      requester.caller(), request.getHeader("origin")));
  }

  /** A lease for tenants with session admission (CONTRACT §12), taken before Decart is called. */
  private Future<Admitted> admitSession(Exchange exchange, Approved approved, Future<Void> callerGone) {
    UpstreamBody body = approved.body();
    if (!approved.requester().tenant().sessions().enabled()) {
      return Future.succeededFuture(new Admitted(approved, Grant.NONE));  // no lease, no extra cost
    }
    return sessions.admit(approved.requester().tenant(), approved.requester().caller(), body.expiresIn(),
        body.sessionSeconds(), Prefer.waitSeconds(exchange.request.headers().getAll("prefer")), callerGone)
      .map(grant -> new Admitted(approved, grant));
  }

  /** Decart's answer; the lease goes back at once when there is none. */
  private Future<Minted> mint(Exchange exchange, Admitted admitted, Future<Void> callerGone) {
    return decart.createToken(admitted.approved().requester().tenant(), admitted.approved().body(),
        exchange.forwarded(), callerGone, exchange.upstream)
      .map(token -> new Minted(admitted, token))
      .onFailure(failure -> sessions.giveBack(admitted.grant()));
  }

  /**
   * Records first, answers last (the lease's end, the ledger, the report): a caller holding its answer, and anyone it
   * tells, must find the request already counted and in the ledger. Answered first, a quick client could look before.
   */
  private void finish(Exchange exchange, Shape shape, AsyncResult<Minted> result) {
    HttpServerRequest request = exchange.request;
    if (result.succeeded()) {
      issue(exchange, shape, result.result());
      return;
    }
    GatewayException failure = asGatewayFailure(result.cause(), request, exchange.requestId);
    if (!request.isEnded()) {
      Hangup.afterUnreadBody(request);
    }
    reporter.refused(exchange, failure);
    ProblemResponder.respond(request.response(), failure, exchange.requestId);
  }

  /** The token is issued when it can still be relayed; a caller already gone gets nothing, and its lease goes back. */
  private void issue(Exchange exchange, Shape shape, Minted minted) {
    HttpServerResponse response = exchange.request.response();
    if (response.closed()) {
      sessions.giveBack(minted.grant());
      reporter.refused(exchange, CALLER_GONE);  // minted, but nobody received it: not issued (CONTRACT §7)
      return;
    }
    sessions.confirm(minted.grant(), minted.token().expiresAt());
    Approved approved = minted.admitted().approved();
    ledger.record(exchange.requestId, approved.requester().caller(), approved.requester().tenant(),
      approved.body(), minted.token(), minted.grant().held() ? minted.grant().leaseId() : null);
    reporter.issued(exchange);
    relay(response, shape, exchange.requestId, minted);
  }

  private static void relay(HttpServerResponse response, Shape shape, String requestId, Minted minted) {
    MintedToken token = minted.token();
    Grant grant = minted.grant();
    Buffer body = shape == Shape.DECART ? token.body() : clientTokenBody(token, grant);
    if (grant.held()) {
      response.putHeader(SESSION_LEASE_HEADER, grant.leaseId());
    }
    if (grant.waitedSeconds() > 0) {
      response.putHeader("preference-applied", "wait=" + grant.waitedSeconds());
    }
    response.setStatusCode(200)
      .putHeader("content-type", "application/json")
      .putHeader("cache-control", "no-store")
      .putHeader(RequestIds.HEADER, requestId)
      .end(body);
  }

  private static Buffer clientTokenBody(MintedToken token, Grant grant) {
    JsonObject body = new JsonObject().put("clientToken", token.apiKey()).put("expiresAt", token.expiresAt());
    return (grant.held() ? body.put("leaseId", grant.leaseId()) : body).toBuffer();
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
