package io.tokengateway.http;

import io.tokengateway.GatewayException;
import io.tokengateway.auth.Authenticator;
import io.tokengateway.auth.Caller;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.sessions.SessionAdmission;
import io.tokengateway.tenant.Tenant;
import io.tokengateway.tenant.TenantDirectory;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/sessions/{leaseId}/heartbeat} and {@code DELETE /v1/sessions/{leaseId}} (CONTRACT §12): the
 * same Bearer session as the token request, then the caller's own lease or 404 {@code lease_not_found}.
 */
final class LeaseHandler {

  /** One lease operation on behalf of a verified caller of a resolved tenant. */
  @FunctionalInterface
  private interface LeaseCall {
    Future<Void> run(Tenant tenant, Caller caller, String leaseId);
  }

  private final Authenticator authenticator;
  private final TenantDirectory tenants;
  private final SessionAdmission sessions;
  private final GatewayMetrics metrics;

  LeaseHandler(Authenticator authenticator, TenantDirectory tenants, SessionAdmission sessions,
               GatewayMetrics metrics) {
    this.authenticator = authenticator;
    this.tenants = tenants;
    this.sessions = sessions;
    this.metrics = metrics;
  }

  void heartbeat(RoutingContext ctx) {
    handle(ctx, sessions::heartbeat);
  }

  void release(RoutingContext ctx) {
    handle(ctx, sessions::release);
  }

  private void handle(RoutingContext ctx, LeaseCall call) {
    String requestId = PublicRouter.requestId(ctx);
    String leaseId = ctx.pathParam("leaseId");
    boolean[] authenticated = new boolean[1];
    authenticator.authenticate(ctx.request().headers().getAll("authorization"))
      .compose(caller -> {
        authenticated[0] = true;
        return call.run(tenants.resolve(caller.tenantId()), caller, leaseId);
      })
      .onComplete(done -> {
        if (done.succeeded()) {
          ctx.response().setStatusCode(204).putHeader("cache-control", "no-store").end();
          AccessLog.log(ctx.request(), requestId, 204, null);
          return;
        }
        GatewayException failure = IssueTokenHandler.asGatewayFailure(done.cause(), ctx.request(), requestId);
        if (!authenticated[0]) {
          metrics.authFailure(failure.reason());
        }
        ProblemResponder.respond(ctx.response(), failure, requestId);
        AccessLog.log(ctx.request(), requestId, failure.code().status(), failure.code().code());
      });
  }
}
