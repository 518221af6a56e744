package io.tokengateway.sessions;

import io.tokengateway.config.GatewayConfig;
import io.tokengateway.tenant.Tenant;
import java.util.HashMap;
import java.util.Map;

/**
 * Each account's pool as CONTRACT §12 step 3 divides it: {@code limit − reserve} (limit from Decart's latest
 * quota, else {@code accountLimit}, else unbounded), the configured tenants' guarantees (scaled down in
 * proportion when they add up to more than the pool), and the unguaranteed rest. Everything is multiplied by
 * this side's share while partitioned (§10). Rebuilt only when the tenants, a quota or the share change.
 */
final class AccountPlans {

  /**
   * One account's division. {@code pool} and {@code shared} are {@link Take#NO_CAP} when unbounded;
   * {@code guarantees} holds the tenants whose guarantee is above 0 (any other tenant's is 0).
   */
  record Plan(int limit, int pool, Map<String, Integer> guarantees, int shared) {}

  private record Inputs(Map<String, Tenant> tenants, long quotaVersion, double share) {}

  private final GatewayConfig.Sessions config;
  private volatile Inputs inputs;
  private volatile Map<String, Plan> plans = Map.of();

  AccountPlans(GatewayConfig.Sessions config) {
    this.config = config;
  }

  Plan plan(String account, Map<String, Tenant> tenants, QuotaPoller quotas, double share) {
    Inputs now = new Inputs(tenants, quotas.version(), share);
    Inputs last = inputs;
    if (last == null || last.tenants() != tenants || last.quotaVersion() != now.quotaVersion() || last.share() != share) {
      plans = build(tenants, quotas, share);
      inputs = now;
    }
    Plan plan = plans.get(account);
    return plan != null ? plan : build(account, Map.of(), quotas.quota(account), share);
  }

  private Map<String, Plan> build(Map<String, Tenant> tenants, QuotaPoller quotas, double share) {
    Map<String, Map<String, Integer>> guarantees = new HashMap<>();
    for (Tenant tenant : tenants.values()) {
      if (tenant.sessions().enabled()) {
        guarantees.computeIfAbsent(tenant.account(), a -> new HashMap<>()).put(tenant.id(), tenant.sessions().guaranteed());
      }
    }
    Map<String, Plan> built = new HashMap<>();
    guarantees.forEach((account, raw) -> built.put(account, build(account, raw, quotas.quota(account), share)));
    return built;
  }

  private Plan build(String account, Map<String, Integer> raw, QuotaPoller.Quota quota, double share) {
    int limit = quota.known() ? quota.limit() : config.accountLimit();
    if (limit == 0 && !quota.known()) {
      return new Plan(0, Take.NO_CAP, Map.of(), Take.NO_CAP);
    }
    int pool = scale(Math.max(0, limit - config.reserve()), share);
    Map<String, Integer> scaled = new HashMap<>();
    raw.forEach((tenant, guarantee) -> scaled.put(tenant, scale(guarantee, share)));
    long sum = scaled.values().stream().mapToLong(Integer::longValue).sum();
    if (sum > pool) {  // guarantees beyond the pool: each shrinks in proportion (rounded down)
      scaled.replaceAll((tenant, guarantee) -> (int) (guarantee * (long) pool / sum));
    }
    long given = scaled.values().stream().mapToLong(Integer::longValue).sum();
    // Only the guarantees above 0 travel with each take (to the partition owner and its backup, when clustered):
    // an account shared by a thousand tenants, a few with a guarantee, sends a few entries, not a thousand.
    scaled.values().removeIf(guarantee -> guarantee == 0);
    return new Plan(limit, pool, Map.copyOf(scaled), (int) Math.max(0, pool - given));
  }

  /** A cap's part on this side: rounded down, so the sides together never exceed it. */
  static int scale(int cap, double share) {
    return share >= 1.0 ? cap : (int) Math.floor(cap * share);
  }
}
