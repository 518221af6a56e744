package io.tokengateway.sessions;

import io.tokengateway.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What admission looks like from outside (CONTRACT §12 "Observability"): {@code GET /admin/sessions}, the
 * leased/waiting gauges and per-tenant figures of the §9 counts message (refreshed every second, never on the
 * request path), Decart's quota gauges, and the quota part of {@code /health/ready}'s body.
 */
public final class SessionsView {

  static final long REFRESH_MS = 1000;

  private final SessionAdmission admission;
  /** Accounts this node has taken leases on (tenants served with defaults included). */
  private final Set<String> seenAccounts = ConcurrentHashMap.newKeySet();
  private volatile Map<String, Integer> leasedByTenant = Map.of();
  /** What the gauges read: the figures of the latest refresh. */
  private volatile Map<String, JsonObject> lastCounts = Map.of();
  private long timer = -1;

  SessionsView(SessionAdmission admission) {
    this.admission = admission;
  }

  Future<Void> start() {
    timer = admission.vertx().setPeriodic(REFRESH_MS, id -> refresh());
    return Future.succeededFuture();
  }

  void stop() {
    admission.vertx().cancelTimer(timer);
  }

  void seen(String account) {
    if (!seenAccounts.contains(account)) {
      seenAccounts.add(account);
    }
  }

  /** Each account in use (a configured tenant has admission on it) and the key its quota is polled with. */
  Map<String, String> accountKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (Tenant tenant : admission.tenants().configured().values()) {
      if (tenant.sessions().enabled()) {
        String key = admission.primaryKey(tenant.account());
        if (key != null) {
          keys.putIfAbsent(tenant.account(), key);
        }
      }
    }
    return keys;
  }

  /** {@code GET /admin/sessions}: counted now, cluster-wide; {@code waiting} is this node's line. */
  public Future<JsonObject> admin() {
    return counts().map(byAccount -> {
      JsonObject accounts = new JsonObject();
      Map<String, Integer> byTenant = new HashMap<>();
      byAccount.forEach((account, tenants) -> {
        accounts.put(account, account(account, tenants.values().stream().mapToInt(Integer::intValue).sum()));
        tenants.forEach((tenant, n) -> byTenant.merge(tenant, n, Integer::sum));
      });
      JsonObject tenants = new JsonObject();
      Map<String, Integer> waiting = admission.waitingByTenant();
      for (Tenant tenant : admission.tenants().configured().values()) {
        if (tenant.sessions().enabled() || byTenant.containsKey(tenant.id())) {
          tenants.put(tenant.id(), new JsonObject().put("leased", byTenant.getOrDefault(tenant.id(), 0))
            .put("waiting", waiting.getOrDefault(tenant.id(), 0))
            .put("maxConcurrent", tenant.sessions().maxConcurrent())
            .put("guaranteed", tenant.sessions().guaranteed()));
        }
      }
      return new JsonObject().put("at", Instant.ofEpochMilli(admission.nowMs()).toString()).put("accounts", accounts)
        .put("tenants", tenants);
    });
  }

  private JsonObject account(String account, int leased) {
    QuotaPoller.Quota quota = admission.quotas().quota(account);
    int limit = quota.known() ? quota.limit() : admission.config().accountLimit();
    return new JsonObject().put("limit", limit == 0 && !quota.known() ? null : limit)
      .put("reserve", admission.config().reserve()).put("leased", leased)
      .put("remaining", quota.known() ? quota.remaining() : null)
      .put("polledAt", quota.known() ? Instant.ofEpochMilli(quota.polledAtMs()).toString() : null);
  }

  /** The quota part of {@code /health/ready}'s body: each account's latest answer, its age and last error. */
  public JsonObject health() {
    JsonObject accounts = new JsonObject();
    long now = admission.nowMs();
    admission.quotas().all().forEach((account, quota) -> accounts.put(account, quota.health(now)));
    return new JsonObject().put("quota", accounts);
  }

  /** Per tenant stats key: {@code leased} (cluster-wide) and {@code waiting} (this node), for the §9 message. */
  public Map<String, JsonObject> countsByStatsKey() {
    Map<String, int[]> sums = new HashMap<>();
    Map<String, Tenant> configured = admission.tenants().configured();
    leasedByTenant.forEach((tenant, n) -> sums.computeIfAbsent(statsKey(tenant, configured), k -> new int[2])[0] += n);
    admission.waitingByTenant().forEach((tenant, n) ->
      sums.computeIfAbsent(statsKey(tenant, configured), k -> new int[2])[1] += n);
    for (Tenant tenant : configured.values()) {
      if (tenant.sessions().enabled()) {
        sums.computeIfAbsent(tenant.id(), k -> new int[2]);
      }
    }
    Map<String, JsonObject> counts = new HashMap<>();
    sums.forEach((key, n) -> counts.put(key, new JsonObject().put("leased", n[0]).put("waiting", n[1])));
    return counts;
  }

  private void refresh() {
    counts().onSuccess(byAccount -> {
      Map<String, Integer> byTenant = new HashMap<>();
      byAccount.values().forEach(tenants -> tenants.forEach((tenant, n) -> byTenant.merge(tenant, n, Integer::sum)));
      leasedByTenant = byTenant;
      registerGauges();
    });
  }

  private void registerGauges() {
    lastCounts = countsByStatsKey();
    lastCounts.keySet().forEach(key -> admission.metrics().sessionGauges(key,
      () -> lastCounts.getOrDefault(key, new JsonObject()).getInteger("leased", 0),
      () -> lastCounts.getOrDefault(key, new JsonObject()).getInteger("waiting", 0)));
    admission.quotas().all().keySet().forEach(account -> {
      admission.metrics().decartQuota(account, "limit", () -> admission.quotas().quota(account).limit());
      admission.metrics().decartQuota(account, "active", () -> admission.quotas().quota(account).active());
      admission.metrics().decartQuota(account, "remaining", () -> admission.quotas().quota(account).remaining());
    });
  }

  /** Live leases per account and tenant id, one read per account in use. */
  private Future<Map<String, Map<String, Integer>>> counts() {
    Set<String> accounts = new java.util.HashSet<>(accountKeys().keySet());
    accounts.addAll(seenAccounts);
    Map<String, Map<String, Integer>> byAccount = new ConcurrentHashMap<>();
    long now = admission.nowMs();
    return Future.all(accounts.stream().map(account -> admission.leases().apply(account, new LeaseOp.Count(now))
        .onSuccess(counts -> byAccount.put(account, counts))).toList())
      .map(done -> new java.util.TreeMap<>(byAccount));
  }

  private static String statsKey(String tenantId, Map<String, Tenant> configured) {
    return configured.containsKey(tenantId) ? tenantId : Tenant.DEFAULTS_STATS_KEY;
  }
}
