package io.tokengateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengateway.auth.Authenticator;
import io.tokengateway.auth.JwtKeys;
import io.tokengateway.cluster.Membership;
import io.tokengateway.cluster.PeerCounts;
import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.control.Control;
import io.tokengateway.http.GatewayVerticle;
import io.tokengateway.http.ManagementRouter;
import io.tokengateway.http.ManagementServer;
import io.tokengateway.http.Readiness;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.ratelimit.RateLimiter;
import io.tokengateway.sessions.SessionAdmission;
import io.tokengateway.stats.IssuanceView;
import io.tokengateway.stats.OutcomeCodec;
import io.tokengateway.stats.StatsVerticle;
import io.tokengateway.tenant.TenantDirectory;
import io.tokengateway.upstream.AccountKeys;
import io.tokengateway.upstream.Resilience;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The assembled gateway on one Vert.x instance: JWT keys, the stats verticle, the public verticles
 * (one per core), the management server; and its orderly stop (CONTRACT §11). Main and the tests
 * both start this.
 */
public final class Gateway {

  private final Vertx vertx;
  private final Membership membership;
  private final GatewayConfig config;
  private final JwtKeys keys;
  private final AccountKeys accountKeys;
  private final GatewayMetrics metrics;
  private final Readiness readiness;
  private final IssuanceView issuance;
  private Control control;
  private final Clock clock;
  private SessionAdmission sessions;
  private final List<GatewayVerticle> publicServers = new CopyOnWriteArrayList<>();
  private ManagementServer management;
  private String publicDeployment;
  private String statsDeployment;
  private long reloadTimer = -1;
  private long keyFilesTimer = -1;

  private Gateway(Membership membership, GatewayConfig config, JwtKeys keys, AccountKeys accountKeys,
                  PrometheusMeterRegistry registry, Clock clock) {
    this.vertx = membership.vertx();
    this.membership = membership;
    this.issuance = new IssuanceView(membership::members, new PeerCounts(membership)::admit);
    this.config = config;
    this.keys = keys;
    this.accountKeys = accountKeys;
    this.metrics = new GatewayMetrics(registry);
    this.readiness = new Readiness(keys::loaded);
    this.clock = clock;
  }

  /** With a fresh metrics registry (tests); Main passes the one Vert.x's own metrics use. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, TenantDirectory tenants,
                                      Map<String, String> env) {
    return start(Membership.single(vertx), config, tenants, env, GatewayMetrics.newRegistry());
  }

  /** As above, with the rate limiter on {@code nanoClock}: tests step time instead of sleeping. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, TenantDirectory tenants,
                                      Map<String, String> env, LongSupplier nanoClock) {
    return start(Membership.single(vertx), config, tenants, env, GatewayMetrics.newRegistry(), nanoClock,
      Clock.systemUTC());
  }

  /** {@code clock}: the wall clock of blocks and the ledger (CONTRACT §13); tests pass one they move. */
  public static Future<Gateway> start(Membership membership, GatewayConfig config, TenantDirectory tenants,
                                      Map<String, String> env, PrometheusMeterRegistry registry, Clock clock) {
    return start(membership, config, tenants, env, registry, System::nanoTime, clock);
  }

  public static Future<Gateway> start(Membership membership, GatewayConfig config, TenantDirectory tenants,
                                      Map<String, String> env, PrometheusMeterRegistry registry) {
    return start(membership, config, tenants, env, registry, System::nanoTime, Clock.systemUTC());
  }

  private static Future<Gateway> start(Membership membership, GatewayConfig config, TenantDirectory tenants,
                                       Map<String, String> env, PrometheusMeterRegistry registry,
                                       LongSupplier nanoClock, Clock clock) {
    OutcomeCodec.register(membership.vertx().eventBus());
    // Account keys first: a bad key source stops startup (exit 2) before anything listens.
    return AccountKeys.load(membership.vertx(), tenants.keySources(), env, config.decart().rejectedKeyCooldownSeconds())
      .compose(accountKeys -> JwtKeys.start(membership.vertx(), config.jwt(), env, config.tenants().reloadSeconds())
        .map(keys -> new Gateway(membership, config, keys, accountKeys, registry, clock)))
      .compose(gateway -> Control.start(membership, config.management(),
        ConfigLoader.adminTokens(config.management(), env), tenants, clock).map(control -> {
          gateway.control = control;
          gateway.metrics.watchLedger(control.ledger()::dropped);
          return gateway;
        }))
      .compose(gateway -> gateway.listen(tenants, nanoClock));
  }

  private Future<Gateway> listen(TenantDirectory tenants, LongSupplier nanoClock) {
    Authenticator authenticator = new Authenticator(config.jwt(), keys);
    Resilience resilience = new Resilience(vertx, config.decart());
    metrics.watch(resilience);
    accountKeys.onRing(metrics::watch);
    RateLimiter limiter = new RateLimiter(nanoClock);
    membership.watch(limiter::share);
    keyFilesTimer = accountKeys.watch(vertx, config.tenants().reloadSeconds());
    reloadTimer = tenants.watch(vertx, config.tenants().reloadSeconds(), sources -> accountKeys.track(vertx, sources),
      applied -> {
        metrics.configReload(applied);
        if (applied) {
          limiter.retain(tenants.statsKeys());
        }
      });
    sessions = SessionAdmission.create(vertx, config, tenants, membership, clock, metrics, accountKeys);
    int instances = Runtime.getRuntime().availableProcessors();
    AtomicInteger openConnections = new AtomicInteger();  // server.maxConnections is per process
    management = ManagementServer.create(vertx, config.server(),
      ManagementRouter.create(vertx, readiness, keys::health, resilience, metrics, issuance,
        membership::health, accountKeys::health, control, sessions.view(), config.management().maxStreams()));
    SessionAdmission admission = sessions;
    return issuance.start(vertx)
      .compose(v -> admission.start())
      .compose(v -> vertx.deployVerticle(new StatsVerticle(membership.nodeId(), config.stats().publishIntervalMs(),
        admission.view()::countsByStatsKey), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
      .compose(id -> {
        statsDeployment = id;
        return management.listen(config.management().port(), config.management().host());
      })
      .compose(server -> vertx.deployVerticle(() -> {
        GatewayVerticle verticle = new GatewayVerticle(config, authenticator, tenants, limiter, admission, resilience,
          accountKeys, readiness, metrics, instances, openConnections, control.blocks(), control.ledger());
        publicServers.add(verticle);
        return verticle;
      }, new DeploymentOptions().setInstances(instances)))
      .map(id -> {
        publicDeployment = id;
        readiness.listening();
        return this;
      });
  }

  public Vertx vertx() {
    return vertx;
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

  public Control control() {
    return control;
  }

  /** The Decart account keys: {@code primaryKey(account)} for callers that talk to Decart for an account. */
  public AccountKeys accountKeys() {
    return accountKeys;
  }

  /**
   * Readiness off at once, new connections accepted for {@code drainMs}, then in order: the public
   * servers (each waits for its in-flight requests, then closes its Decart client), the stats
   * verticle (which publishes a last message), the key refresher, the management server.
   */
  public Future<Void> stop(long drainMs) {
    readiness.shuttingDown();
    vertx.cancelTimer(reloadTimer);
    vertx.cancelTimer(keyFilesTimer);
    return Future.<Void>future(done -> vertx.setTimer(Math.max(1, drainMs), id -> done.complete()))
      .compose(v -> undeploy(publicDeployment))
      .eventually(() -> undeploy(statsDeployment))
      .eventually(keys::close)
      .eventually(() -> {
        if (sessions != null) {
          sessions.stop();
        }
        return Future.succeededFuture();
      })
      .eventually(issuance::stop)
      .eventually(control::stop)
      .eventually(() -> management.close());
  }

  private Future<Void> undeploy(String deployment) {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }
}
