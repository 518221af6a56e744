package io.tokengateway.ratelimit;

import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.SessionPolicy;
import io.tokengateway.tenant.Tenant;
import java.util.List;

/** Tenants that differ only in their limits, as the tenant directory would resolve them. */
final class TestTenants {

  private TestTenants() {}

  static Tenant configured(String id, int perSecond, int burst, int perUserPerMinute) {
    return new Tenant(id, true, true, "DECART_API_KEY", null, 60, 300, List.of(), List.of(), 0,
      new RateLimit(perSecond, burst, perUserPerMinute), SessionPolicy.OFF, List.of());
  }

  /** A tenant served through {@code unknownTenants: defaults}. */
  static Tenant unconfigured(String id, int perSecond, int burst, int perUserPerMinute) {
    return new Tenant(id, false, true, "DECART_API_KEY", null, 60, 300, List.of(), List.of(), 0,
      new RateLimit(perSecond, burst, perUserPerMinute), SessionPolicy.OFF, List.of());
  }
}
