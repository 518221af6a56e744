package io.tokengateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.config.GatewayConfig;
import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.SessionPolicy;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §12 step 3's division of an account, and what of it travels with each take (to the partition owner
 * and its backup, when clustered): only the guarantees above 0, not one entry per tenant of the account.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class AccountPlansTest {

  private static final String ACCOUNT = "DECART_API_KEY";

  @Test
  void onlyGuaranteesAboveZeroTravelWithATake(Vertx vertx) {
    Map<String, Tenant> tenants = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      tenants.put("t" + i, tenant("t" + i, i == 7 ? 3 : 0));
    }
    AccountPlans.Plan plan = plan(vertx, 40, tenants, 1.0);

    assertThat(plan.guarantees()).containsExactly(Map.entry("t7", 3));
    assertThat(plan.shared()).isEqualTo(37);
  }

  @Test
  void aGuaranteeScaledDownToZeroIsLeftOut(Vertx vertx) {
    Map<String, Tenant> tenants = Map.of("a", tenant("a", 6), "b", tenant("b", 1), "c", tenant("c", 1));
    // Σ guaranteed 8 > pool 4: a keeps 3, b and c shrink to 0 (rounded down), one slot is left to share.
    AccountPlans.Plan plan = plan(vertx, 4, tenants, 1.0);

    assertThat(plan.guarantees()).containsExactly(Map.entry("a", 3));
    assertThat(plan.shared()).isEqualTo(1);
  }

  @Test
  void whilePartitionedTheGuaranteesAreThisSidesShare(Vertx vertx) {
    Map<String, Tenant> tenants = Map.of("a", tenant("a", 4), "b", tenant("b", 1));
    AccountPlans.Plan plan = plan(vertx, 10, tenants, 0.5);

    assertThat(plan.pool()).isEqualTo(5);
    assertThat(plan.guarantees()).containsExactly(Map.entry("a", 2));  // b's 0.5 rounds down to none
    assertThat(plan.shared()).isEqualTo(3);
  }

  private static AccountPlans.Plan plan(Vertx vertx, int accountLimit, Map<String, Tenant> tenants, double share) {
    QuotaPoller neverPolled = new QuotaPoller(vertx, "http://127.0.0.1:1", 0, System::currentTimeMillis);
    try {
      return new AccountPlans(new GatewayConfig.Sessions(30, 0, accountLimit, 0))
        .plan(ACCOUNT, tenants, neverPolled, share);
    } finally {
      neverPolled.stop();
    }
  }

  private static Tenant tenant(String id, int guaranteed) {
    return new Tenant(id, true, true, ACCOUNT, null, 60, 300, List.of(), List.of(), 0, new RateLimit(0, 100, 0),
      new SessionPolicy(10, 0, guaranteed, SessionPolicy.DEFAULT_SESSION_SECONDS, 0, SessionPolicy.DEFAULT_MAX_WAITING),
      List.of());
  }
}
