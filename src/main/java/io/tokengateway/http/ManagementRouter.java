package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.control.Control;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.sessions.SessionsView;
import io.tokengateway.stats.IssuanceView;
import io.tokengateway.upstream.Resilience;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.function.Supplier;

/**
 * The management port (CONTRACT §7): liveness, readiness with its reasons in the body, Prometheus
 * metrics, the issuance admin views, and the dashboard with the OpenAPI document (§15). Never mounted on
 * the public port.
 */
public final class ManagementRouter {

  private ManagementRouter() {}

  public static Router create(Vertx vertx, Readiness readiness, Supplier<JsonObject> keysHealth,
                              Resilience resilience, GatewayMetrics metrics, IssuanceView issuance,
                              Supplier<JsonObject> cluster, Supplier<JsonObject> accountKeys, Control control,
                              SessionsView sessions, int maxStreams) {
    Router router = Router.router(vertx);
    control.mount(router);  // first: admin authentication guards every /admin route below (CONTRACT §13)
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
    router.get("/admin/issuance").handler(ctx -> ctx.json(issuance.snapshot()));
    router.get("/admin/sessions").handler(ctx -> sessions.admin().onComplete(view -> {
      if (view.succeeded()) {
        ctx.json(view.result());
      } else {
        ctx.fail(view.cause());
      }
    }));
    router.get("/admin/issuance/stream").handler(new AdminStream(vertx, metrics, maxStreams)::handle);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(
      readiness(vertx, readiness, keysHealth, resilience, cluster, accountKeys, sessions)));
    Dashboard.mount(router, control.adminAuthRequired());
    router.errorHandler(404, ctx -> ProblemResponder.respond(ctx.response(),
      new GatewayException(ErrorCode.NOT_FOUND, "no such endpoint"), RequestIds.of(ctx.request())));
    return router;
  }

  private static HealthChecks readiness(Vertx vertx, Readiness readiness, Supplier<JsonObject> keysHealth,
                                        Resilience resilience, Supplier<JsonObject> cluster,
                                        Supplier<JsonObject> accountKeys, SessionsView sessions) {
    return HealthChecks.create(vertx)
      .register("server", promise -> promise.complete(new Status().setOk(readiness.isListening()
        && !readiness.isShuttingDown()).setData(new JsonObject().put("listening", readiness.isListening())
        .put("shuttingDown", readiness.isShuttingDown()))))
      .register("jwt-keys", promise -> promise.complete(new Status().setOk(readiness.keysLoaded())
        .setData(keysHealth.get())))
      // Reported, never failing: an outage at Decart must not take every pod out of its Service.
      .register("decart-circuit", promise -> promise.complete(Status.OK(new JsonObject()
        .put("state", resilience.circuitState().name()).put("inFlight", resilience.inFlight()))))
      // Reported, never failing: a node cut off from its peers keeps serving with its share (CONTRACT §10).
      .register("cluster", promise -> promise.complete(Status.OK(cluster.get())))
      // Reported, never failing (CONTRACT §14): per account {"keys":N,"rejected":N}, never a key.
      .register("decart-keys", promise -> promise.complete(Status.OK(accountKeys.get())))
      // Reported, never failing: a quota poll that fails keeps the last answer (CONTRACT §12).
      .register("sessions", promise -> promise.complete(Status.OK(sessions.health())));
  }
}
