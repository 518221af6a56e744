package io.tokengateway.http;

import io.tokengateway.auth.Authenticator;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.control.Blocks;
import io.tokengateway.control.Ledger;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.ratelimit.RateLimiter;
import io.tokengateway.sessions.SessionAdmission;
import io.tokengateway.stats.OutcomeFeed;
import io.tokengateway.tenant.TenantDirectory;
import io.tokengateway.upstream.AccountKeys;
import io.tokengateway.upstream.DecartClient;
import io.tokengateway.upstream.Resilience;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One public server per event loop (CONTRACT §5): the shared, thread-safe stages are handed in;
 * the Decart client (and its connection pool) belongs to this instance's event loop.
 */
public final class GatewayVerticle extends VerticleBase {

  /** How long in-flight requests may take to finish once the server stops (CONTRACT §11: all within 30 s). */
  public static final int SHUTDOWN_GRACE_SECONDS = 20;
  /** Port -1 makes every instance share one ephemeral port when the config says 0. */
  private static final int SHARED_EPHEMERAL_PORT = -1;

  private final GatewayConfig config;
  private final Authenticator authenticator;
  private final TenantDirectory tenants;
  private final Resilience resilience;
  private final AccountKeys accountKeys;
  private final RateLimiter limiter;
  private final SessionAdmission sessions;
  private final Readiness readiness;
  private final GatewayMetrics metrics;
  private final int instances;
  private final AtomicInteger openConnections;
  private final Blocks blocks;
  private final Ledger ledger;
  private DecartClient decart;
  private HttpServer server;
  private ConnectionGuard guard;
  private OutcomeFeed outcomes;

  public GatewayVerticle(GatewayConfig config, Authenticator authenticator, TenantDirectory tenants,
                         RateLimiter limiter, SessionAdmission sessions, Resilience resilience,
                         AccountKeys accountKeys, Readiness readiness, GatewayMetrics metrics,
                         int instances, AtomicInteger openConnections, Blocks blocks, Ledger ledger) {
    this.blocks = blocks;
    this.ledger = ledger;
    this.config = config;
    this.authenticator = authenticator;
    this.tenants = tenants;
    this.resilience = resilience;
    this.accountKeys = accountKeys;
    this.limiter = limiter;
    this.sessions = sessions;
    this.readiness = readiness;
    this.metrics = metrics;
    this.instances = instances;
    this.openConnections = openConnections;
  }

  @Override
  public Future<?> start() {
    GatewayConfig.Server settings = config.server();
    int poolShare = Math.max(1, (config.decart().maxConnections() + instances - 1) / instances);
    decart = new DecartClient(vertx, config.decart(), resilience, accountKeys, poolShare);
    outcomes = new OutcomeFeed(vertx, OutcomeFeed.flushEveryMs(config.stats().publishIntervalMs()));
    IssueTokenHandler issue = new IssueTokenHandler(authenticator, tenants, limiter, blocks, sessions, decart,
      new BodyReader(vertx, settings.maxBodyBytes()), new Reporter(outcomes, metrics),
      ledger, settings.requestReadTimeoutMs());
    Router router = PublicRouter.create(vertx, issue, new LeaseHandler(authenticator, tenants, sessions, metrics),
      settings.corsAllowedOrigins(), readiness);
    guard = new ConnectionGuard(vertx, openConnections, settings.maxConnections(), settings.headerReadTimeoutMs(),
      settings.idleTimeoutSeconds());
    server = vertx.createHttpServer(serverOptions(settings))
      .connectionHandler(guard::opened)
      .invalidRequestHandler(PublicRouter::rejectInvalid)
      .requestHandler(request -> {
        guard.headArrived(request);
        router.handle(request);
      });
    int port = settings.port() == 0 ? SHARED_EPHEMERAL_PORT : settings.port();
    return server.listen(port, settings.host());
  }

  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS).eventually(() -> {
      guard.stop();
      decart.close();
      return outcomes.close();  // the last outcomes reach the stats verticle before it is undeployed
    });
  }

  static HttpServerOptions serverOptions(GatewayConfig.Server settings) {
    HttpServerOptions options = new HttpServerOptions()
      .setMaxHeaderSize(settings.maxHeaderBytes())
      .setMaxInitialLineLength(Math.min(settings.maxHeaderBytes(), HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH))
      .setIdleTimeout(settings.idleTimeoutSeconds())
      .setIdleTimeoutUnit(TimeUnit.SECONDS)
      .setHttp2ClearTextEnabled(false)
      .setHandle100ContinueAutomatically(false)  // BodyReader invites the body only once it will read it
      .setCompressionSupported(false)
      .setDecompressionSupported(false)
      .setTcpNoDelay(true);
    if (settings.tls().enabled()) {
      // HTTP/2 heads: the same limit, advertised in SETTINGS so that clients refuse larger heads themselves.
      options.setInitialSettings(new Http2Settings().setMaxHeaderListSize(settings.maxHeaderBytes()));
      options.setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(settings.tls().certFile())
          .setKeyPath(settings.tls().keyFile()));
    }
    return options;
  }
}
