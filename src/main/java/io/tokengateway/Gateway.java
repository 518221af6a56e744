package io.tokengateway;

import io.tokengateway.auth.Authenticator;
import io.tokengateway.auth.JwtKeys;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.http.GatewayVerticle;
import io.tokengateway.http.ManagementRouter;
import io.tokengateway.http.Readiness;
import io.tokengateway.tenant.TenantDirectory;
import io.tokengateway.upstream.Resilience;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The assembled gateway on one Vert.x instance: JWT keys, the public verticles (one per core),
 * the management server; and its orderly stop (CONTRACT §11). Main and the tests both start this.
 */
public final class Gateway {

  private final Vertx vertx;
  private final GatewayConfig config;
  private final JwtKeys keys;
  private final Readiness readiness;
  private final List<GatewayVerticle> publicServers = new CopyOnWriteArrayList<>();
  private HttpServer management;
  private String deployment;

  private Gateway(Vertx vertx, GatewayConfig config, JwtKeys keys) {
    this.vertx = vertx;
    this.config = config;
    this.keys = keys;
    this.readiness = new Readiness(keys::loaded);
  }

  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, TenantDirectory tenants,
                                      Map<String, String> env) {
    return JwtKeys.start(vertx, config.jwt(), env)
      .map(keys -> new Gateway(vertx, config, keys))
      .compose(gateway -> gateway.listen(tenants));
  }

  private Future<Gateway> listen(TenantDirectory tenants) {
    Authenticator authenticator = new Authenticator(config.jwt(), keys);
    Resilience resilience = new Resilience(vertx, config.decart());
    int instances = Runtime.getRuntime().availableProcessors();
    management = vertx.createHttpServer()
      .requestHandler(ManagementRouter.create(vertx, readiness, keys::health, resilience));
    return management.listen(config.management().port(), config.management().host())
      .compose(server -> vertx.deployVerticle(() -> {
        GatewayVerticle verticle = new GatewayVerticle(config, authenticator, tenants, resilience, readiness,
          instances);
        publicServers.add(verticle);
        return verticle;
      }, new DeploymentOptions().setInstances(instances)))
      .map(id -> {
        deployment = id;
        readiness.listening();
        return this;
      });
  }

  public int publicPort() {
    return publicServers.get(0).actualPort();
  }

  public int managementPort() {
    return management.actualPort();
  }

  public long drainMs() {
    return config.server().shutdownDrainMs();
  }

  public Readiness readiness() {
    return readiness;
  }

  /** Readiness off at once, new connections accepted for {@code drainMs}, then in-flight requests finish. */
  public Future<Void> stop(long drainMs) {
    readiness.shuttingDown();
    return Future.<Void>future(done -> vertx.setTimer(Math.max(1, drainMs), id -> done.complete()))
      .compose(v -> deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment))
      .eventually(keys::close)
      .eventually(() -> management.close());
  }
}
