package io.tokengateway.sessions;

import io.tokengateway.GatewayException;
import io.tokengateway.ErrorCode;
import io.tokengateway.auth.Caller;
import io.tokengateway.cluster.Membership;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.json.IsoTime;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.tenant.Tenant;
import io.tokengateway.tenant.TenantDirectory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.tokengateway.upstream.AccountKeys;
import java.time.Clock;
import java.util.function.UnaryOperator;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Realtime session admission (CONTRACT §12): the request path asks it one question per request
 * ({@link #admit}), and tells it how the request ended ({@link #confirm} or {@link #giveBack}). It builds each
 * check-and-take from the tenant's caps and its account's plan, runs it on the {@link Leases}, and parks a
 * refused {@code Prefer: wait} request in the {@link WaitingLine} until a slot frees or its wait ends.
 */
public final class SessionAdmission {

  /** Published (cluster-wide when clustered) with the account's name whenever a lease is given back early. */
  public static final String FREED_ADDRESS = "token-gateway.sessions.freed";
  /** Waiting requests retry this often besides on every release: leases also end by time, quotas change. */
  static final long RETRY_MS = 1000;
  static final int MAX_RETRY_AFTER_SECONDS = 300;
  /** Retry-After when no lease in the way will end (a cap of 0 on this side, a quota with nothing granted since). */
  static final int UNKNOWN_RETRY_AFTER_SECONDS = 30;
  private static final Pattern LEASE_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Logger LOG = LogManager.getLogger(SessionAdmission.class);

  private final Vertx vertx;
  private final Context context;
  private final GatewayConfig.Sessions config;
  private final int deadlineMs;
  private final TenantDirectory tenants;
  private final Leases leases;
  private final QuotaPoller quotas;
  private final AccountPlans plans;
  private final DoubleSupplier share;
  private final LongSupplier clockMs;
  private final GatewayMetrics metrics;
  private final UnaryOperator<String> primaryKeys;
  private final Waiting waiting;
  private final SessionsView view;

  SessionAdmission(Vertx vertx, Context context, GatewayConfig config, TenantDirectory tenants, Leases leases,
                   DoubleSupplier share, Clock clock, GatewayMetrics metrics, UnaryOperator<String> primaryKeys) {
    this.primaryKeys = primaryKeys;
    this.vertx = vertx;
    this.context = context;
    this.config = config.sessions();
    this.deadlineMs = config.decart().deadlineMs();
    this.tenants = tenants;
    this.leases = leases;
    this.clockMs = clock::millis;
    this.quotas = new QuotaPoller(vertx, config.decart().baseUrl(), this.config.quotaPollSeconds(), clockMs);
    this.plans = new AccountPlans(this.config);
    this.share = share;
    this.metrics = metrics;
    this.waiting = new Waiting(this);
    this.view = new SessionsView(this);
  }

  /**
   * On one node, or cluster-wide through the membership's Hazelcast. {@code keys}: each account's current primary
   * key, which its quota is polled with (CONTRACT §14).
   */
  public static SessionAdmission create(Vertx vertx, GatewayConfig config, TenantDirectory tenants,
                                        Membership membership, Clock clock, GatewayMetrics metrics,
                                        AccountKeys keys) {
    Context context = vertx.getOrCreateContext();  // the waiting line's, and where clustered answers arrive
    Leases leases = membership.clustered() ? ClusteredLeases.of(membership.clusterManager(), context)
      : new LocalLeases();
    return new SessionAdmission(vertx, context, config, tenants, leases, membership::sideShare, clock, metrics,
      keys::primaryKey);
  }

  public Future<Void> start() {
    quotas.start(view::accountKeys);
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> waiting.start().compose(x -> view.start()).onComplete(started));
    return started.future();
  }

  public void stop() {
    quotas.stop();
    waiting.stop();
    view.stop();
  }

  /**
   * Takes a lease for the caller (nothing for a tenant without admission), or refuses with 429
   * {@code session_limit} / 503 {@code capacity_exhausted}; with {@code preferWaitSeconds} > 0 and a tenant
   * that allows it, a refusal first waits in line. {@code callerGone} completes if the caller disconnects.
   */
  public Future<Grant> admit(Tenant tenant, Caller caller, int expiresIn, int sessionSeconds, int preferWaitSeconds,
                             Future<Void> callerGone) {
    if (!tenant.sessions().enabled()) {
      return Future.succeededFuture(Grant.NONE);
    }
    int waitSeconds = Math.min(preferWaitSeconds, tenant.sessions().maxWaitSeconds());
    String leaseId = LeaseIds.next();
    return take(tenant, caller, leaseId, expiresIn, sessionSeconds).compose(verdict -> {
      if (verdict.granted()) {
        return Future.succeededFuture(new Grant(leaseId, tenant.account(), tenant.id(), caller.userId(),
          sessionSeconds, 0));
      }
      if (waitSeconds <= 0) {
        return Future.failedFuture(refused(tenant, verdict));
      }
      return waiting.park(new WaitingLine.Waiter(tenant, caller, expiresIn, sessionSeconds, waitSeconds, verdict),
        callerGone);
    });
  }

  /** Decart's answer is about to be relayed: the lease now ends at its {@code expiresAt} + the session cap. */
  public void confirm(Grant grant, String expiresAt) {
    if (!grant.held()) {
      return;
    }
    try {
      long expires = IsoTime.parseUtc(expiresAt);  // Decart's usual shape by hand; any other through java.time
      long endMs = (expires != IsoTime.UNREAD ? expires : Instant.parse(expiresAt).toEpochMilli())
        + grant.sessionSeconds() * 1000L;
      leases.applyDetached(grant.account(), new LeaseOp.Confirm(grant.leaseId(), endMs))
        .onFailure(e -> LOG.warn("lease {} keeps its provisional end: {}", grant.leaseId(), e.toString()));
    } catch (DateTimeParseException e) {
      LOG.warn("Decart's expiresAt is not ISO-8601; lease {} keeps its provisional end", grant.leaseId());
    }
  }

  /** No token reached the caller (refusal, failure, caller gone): the slot is free at once. */
  public void giveBack(Grant grant) {
    if (grant.held()) {
      release(grant.account(), new LeaseOp.Release(grant.leaseId(), grant.tenant(), grant.user(), clockMs.getAsLong()))
        .onFailure(e -> LOG.error("lease {} could not be given back; it ends by time: {}", grant.leaseId(), e.toString()));
    }
  }

  /** {@code POST /v1/sessions/{leaseId}/heartbeat}: 404 {@code lease_not_found} unless it is the caller's own. */
  public Future<Void> heartbeat(Tenant tenant, Caller caller, String leaseId) {
    if (!LEASE_ID.matcher(leaseId).matches()) {
      return Future.failedFuture(notFound());
    }
    return found(leases.apply(tenant.account(), new LeaseOp.Heartbeat(leaseId, tenant.id(), caller.userId(),
      clockMs.getAsLong(), config.heartbeatTtlSeconds() * 1000L)));
  }

  /** {@code DELETE /v1/sessions/{leaseId}}: the slot is free at once. */
  public Future<Void> release(Tenant tenant, Caller caller, String leaseId) {
    if (!LEASE_ID.matcher(leaseId).matches()) {
      return Future.failedFuture(notFound());
    }
    return found(release(tenant.account(), new LeaseOp.Release(leaseId, tenant.id(), caller.userId(),
      clockMs.getAsLong())));
  }

  public SessionsView view() {
    return view;
  }

  Future<Take.Verdict> take(Tenant tenant, Caller caller, String leaseId, int expiresIn, int sessionSeconds) {
    view.seen(tenant.account());
    long now = clockMs.getAsLong();
    double side = share.getAsDouble();
    AccountPlans.Plan plan = plans.plan(tenant.account(), tenants.configured(), quotas, side);
    QuotaPoller.Quota quota = quotas.quota(tenant.account());
    int perUser = tenant.sessions().perUserMaxConcurrent();
    // Provisional end, an upper bound of the real one: if this node dies mid-call, the lease still ends.
    long endMs = now + deadlineMs + (expiresIn + (long) sessionSeconds) * 1000L;
    Take take = new Take(leaseId, tenant.id(), caller.userId(), now, endMs,
      perUser == 0 ? Take.NO_CAP : AccountPlans.scale(perUser, side),
      AccountPlans.scale(tenant.sessions().maxConcurrent(), side), plan.guarantees(), plan.shared(),
      quota.known() ? AccountPlans.scale(quota.remaining(), side) : Take.NO_QUOTA, quota.polledAtMs());
    long started = System.nanoTime();
    return leases.apply(tenant.account(), new LeaseOp.TakeOp(take))
      .onSuccess(verdict -> metrics.sessionTaken(System.nanoTime() - started));
  }

  GatewayException refused(Tenant tenant, Take.Verdict verdict) {
    metrics.sessionRefused(tenant.statsKey(), verdict.refusal().label());
    return new GatewayException(verdict.refusal().code(), verdict.refusal().detail())
      .retryAfter(retryAfterSeconds(verdict));
  }

  private long retryAfterSeconds(Take.Verdict verdict) {
    if (verdict.freesAtMs() == Long.MAX_VALUE) {
      int poll = config.quotaPollSeconds();
      return verdict.refusal() == Refusal.QUOTA && poll > 0 ? Math.min(poll, MAX_RETRY_AFTER_SECONDS)
        : UNKNOWN_RETRY_AFTER_SECONDS;
    }
    long seconds = (verdict.freesAtMs() - clockMs.getAsLong() + 999) / 1000;
    return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, seconds));
  }

  private Future<Boolean> release(String account, LeaseOp.Release release) {
    return leases.apply(account, release).onSuccess(freed -> {
      if (freed) {
        vertx.eventBus().publish(FREED_ADDRESS, account);
      }
    });
  }

  private static Future<Void> found(Future<Boolean> done) {
    return done.compose(found -> found ? Future.succeededFuture() : Future.failedFuture(notFound()));
  }

  private static GatewayException notFound() {
    return new GatewayException(ErrorCode.LEASE_NOT_FOUND, "no live lease with this id for this caller");
  }

  // For the line and the view, in this package.
  Vertx vertx() {
    return vertx;
  }

  Context context() {
    return context;
  }

  Leases leases() {
    return leases;
  }

  QuotaPoller quotas() {
    return quotas;
  }

  TenantDirectory tenants() {
    return tenants;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  /** The account's current primary key (null when the account has none loaded). */
  String primaryKey(String account) {
    return primaryKeys.apply(account);
  }

  GatewayConfig.Sessions config() {
    return config;
  }

  long nowMs() {
    return clockMs.getAsLong();
  }

  Map<String, Integer> waitingByTenant() {
    return waiting.byTenant();
  }

  int guaranteed(Tenant tenant) {
    return plans.plan(tenant.account(), tenants.configured(), quotas, share.getAsDouble()).guarantees()
      .getOrDefault(tenant.id(), 0);
  }

}
