package io.tokengateway.ratelimit;

import static io.tokengateway.ratelimit.TestTenants.configured;
import static io.tokengateway.ratelimit.TestTenants.unconfigured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.tenant.Tenant;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 5 items 1–3 at unit level, on a fake clock: tenant bucket, per-user window, answers, reload, unlimited. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RateLimiterTest {

  final FakeClock clock = new FakeClock(-5_000_000_000L);
  final RateLimiter limiter = new RateLimiter(clock, RateLimiter.DEFAULT_MAX_USER_STATE_BYTES, Runnable::run);

  @Test
  void tenantBucketAllowsItsBurstThenItsRate() {
    Tenant acme = configured("acme", 10, 20, 0);
    assertThat(allowed(acme, 100)).isEqualTo(20);
    Admission refused = limiter.admit(acme, "u");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    GatewayException e = catchThrowableOfType(GatewayException.class, refused::orThrow);
    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(e.detail()).contains("tenant rate limit");
    assertThat(e.retryAfterSeconds()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(allowed(acme, 100)).isEqualTo(10);
  }

  @Test
  void fourthRequestOfAUserInAMinuteWaitsForTheOldestToAgeOut() {
    Tenant acme = configured("acme", 0, 0, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.admit(acme, "alice").allowed()).isTrue();
      clock.advance(Duration.ofSeconds(10));
    }
    Admission fourth = limiter.admit(acme, "alice");  // at 30 s: the first (at 0 s) leaves the window at 60 s
    assertThat(fourth.retryAfterSeconds()).isEqualTo(30);
    assertThat(fourth.rateLimitHeader()).isEqualTo("\"user\";r=0;t=30");
    GatewayException e = catchThrowableOfType(GatewayException.class, fourth::orThrow);
    assertThat(e.detail()).contains("per-user rate limit").doesNotContain("alice");
    assertThat(limiter.admit(acme, "bob").allowed()).isTrue();
    assertThat(limiter.admit(configured("globex", 0, 0, 3), "alice").allowed()).isTrue();
    clock.advance(Duration.ofMillis(29_999));
    assertThat(limiter.admit(acme, "alice").allowed()).isFalse();
    clock.advanceMillis(1);
    assertThat(limiter.admit(acme, "alice").allowed()).isTrue();
  }

  @Test
  void aRequestRefusedByItsUserTakesNoTenantToken() {
    Tenant acme = configured("acme", 1, 2, 1);
    assertThat(limiter.admit(acme, "alice").allowed()).isTrue();
    assertThat(limiter.admit(acme, "alice").policy()).isEqualTo(Admission.USER);
    assertThat(limiter.admit(acme, "bob").allowed()).isTrue();
    assertThat(limiter.admit(acme, "carol").policy()).isEqualTo(Admission.TENANT);
  }

  @Test
  void aRequestRefusedByTheTenantTakesNoUserSlot() {
    Tenant acme = configured("acme", 1, 1, 2);
    assertThat(limiter.admit(acme, "alice").allowed()).isTrue();
    assertThat(limiter.admit(acme, "alice").policy()).isEqualTo(Admission.TENANT);
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.admit(acme, "alice").allowed()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    Admission third = limiter.admit(acme, "alice");
    assertThat(third.policy()).isEqualTo(Admission.USER);
    assertThat(third.retryAfterSeconds()).isEqualTo(58);
  }

  @Test
  void headersNameEveryPolicyAndTheOneClosestToExhaustion() {
    Admission first = limiter.admit(configured("acme", 10, 20, 3), "alice");
    assertThat(first.policyHeader()).isEqualTo("\"tenant\";q=20;w=2, \"user\";q=3;w=60");
    assertThat(first.rateLimitHeader()).isEqualTo("\"user\";r=2;t=60");
    assertThat(first.headers()).containsExactly(Map.entry("RateLimit-Policy", first.policyHeader()),
      Map.entry("RateLimit", first.rateLimitHeader()));
    Admission tenantCloser = limiter.admit(configured("globex", 100, 1, 30), "alice");
    assertThat(tenantCloser.policyHeader()).isEqualTo("\"tenant\";q=100;w=1, \"user\";q=30;w=60");
    assertThat(tenantCloser.rateLimitHeader()).isEqualTo("\"tenant\";r=0;t=1");
  }

  @Test
  void unlimitedSettingsLimitNothing() {
    Tenant open = configured("open", 0, 0, 0);
    assertThat(allowed(open, 10_000)).isEqualTo(10_000);
    assertThat(limiter.admit(open, "u").headers()).isEmpty();
    Tenant usersOnly = configured("usersOnly", 0, 0, 2);
    assertThat(IntStream.range(0, 1_000).filter(i -> limiter.admit(usersOnly, "u" + i).allowed()).count())
      .isEqualTo(1_000);
    assertThat(limiter.admit(usersOnly, "u0").allowed()).isTrue();
    assertThat(limiter.admit(usersOnly, "u0").allowed()).isFalse();
    Tenant tenantOnly = configured("tenantOnly", 1, 5, 0);
    assertThat(allowed(tenantOnly, 100)).isEqualTo(5);
    assertThat(limiter.admit(tenantOnly, "x").policyHeader()).isEqualTo("\"tenant\";q=5;w=5");
  }

  @Test
  void aReloadedLimitKeepsTheBucketLevel() {
    assertThat(allowed(configured("acme", 10, 20, 0), 15)).isEqualTo(15);
    Admission resized = limiter.admit(configured("acme", 10, 50, 0), "u");  // 5 left: now 4 of 50
    assertThat(resized.remaining()).isEqualTo(4);
    assertThat(allowed(configured("acme", 10, 50, 0), 100)).isEqualTo(4);
    clock.advance(Duration.ofSeconds(1));
    assertThat(allowed(configured("acme", 1, 2, 0), 100)).isEqualTo(2);  // 10 refilled, clamped to the new burst
  }

  @Test
  void aReloadedUserLimitKeepsTheRecentAdmissions() {
    assertThat(allowed(configured("acme", 0, 0, 3), 3)).isEqualTo(3);
    assertThat(allowed(configured("acme", 0, 0, 5), 10)).isEqualTo(2);
    assertThat(allowed(configured("acme", 0, 0, 1), 10)).isZero();
  }

  @Test
  void retainDropsOnlyRemovedTenants() {
    Tenant acme = configured("acme", 1, 3, 0);
    Tenant globex = configured("globex", 1, 3, 0);
    allowed(acme, 3);
    allowed(globex, 3);
    limiter.retain(Set.of("acme", Tenant.DEFAULTS_STATS_KEY));
    assertThat(allowed(acme, 10)).isZero();
    assertThat(allowed(globex, 10)).isEqualTo(3);
  }

  @Test
  void unknownTenantsServedWithDefaultsShareOneBucketButNotTheirUsers() {
    assertThat(allowed(unconfigured("x", 1, 4, 1), 3)).isEqualTo(1);
    assertThat(limiter.admit(unconfigured("y", 1, 4, 1), "u").allowed()).isTrue();
    assertThat(limiter.admit(unconfigured("y", 1, 4, 1), "v").allowed()).isTrue();
    assertThat(limiter.admit(unconfigured("z", 1, 4, 1), "w").allowed()).isTrue();
    assertThat(limiter.admit(unconfigured("z", 1, 4, 1), "q").policy()).isEqualTo(Admission.TENANT);
  }

  /** Admissions out of {@code attempts} by user "u", all at the current instant. */
  private long allowed(Tenant tenant, int attempts) {
    return IntStream.range(0, attempts).filter(i -> limiter.admit(tenant, "u").allowed()).count();
  }
}
