package io.tokengateway.ratelimit;

import static io.tokengateway.ratelimit.TestTenants.configured;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-user guarantee, checked against a randomized schedule: never more than N admissions in any 60 s, and
 * never a refusal while fewer than N fall in the last 60 s (a sliding log, the exact reference).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class UserWindowTest {

  static final long WINDOW_MS = 60_000;

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 30, 100, 1_000})  // 30 and up: the ring grows from its initial 16 slots while in use
  void exactlyAtMostNInAnySixtySeconds(int limit) {
    FakeClock clock = new FakeClock(0);
    RateLimiter limiter = new RateLimiter(clock, RateLimiter.DEFAULT_MAX_USER_STATE_BYTES, Runnable::run);
    Tenant tenant = configured("acme", 0, 0, limit);
    SplittableRandom random = new SplittableRandom(limit);
    List<Long> admitted = new ArrayList<>();
    long nowMs = 0;
    for (int i = 0; i < 20_000; i++) {
      nowMs += random.nextInt(4) == 0 ? random.nextLong(WINDOW_MS * 2 / limit + 1) : random.nextLong(3);
      clock.advanceMillis(nowMs - (clock.getAsLong() / 1_000_000));
      long inWindow = countSince(admitted, nowMs - WINDOW_MS);
      boolean allowed = limiter.admit(tenant, "alice").allowed();
      assertThat(allowed).as("at %d ms with %d in the window", nowMs, inWindow).isEqualTo(inWindow < limit);
      if (allowed) {
        admitted.add(nowMs);
      }
    }
    for (int i = limit; i < admitted.size(); i++) {
      assertThat(admitted.get(i) - admitted.get(i - limit)).isGreaterThanOrEqualTo(WINDOW_MS);
    }
    assertThat(admitted.size()).as("the schedule reached the limit many times").isGreaterThan(Math.min(limit * 10, 5_000));
  }

  @Test
  void aHugeLimitCostsOnlyWhatIsUsed() {
    RateLimit limit = new RateLimit(0, 0, 1_000_000);
    UserWindow window = new UserWindow(limit.perUserPerMinute());
    assertThat(window.bytes()).isLessThan(256);
    long now = 0;
    for (int i = 0; i < 100; i++) {
      Admission admitted = window.admit(limit, now);
      if (admitted == null) {
        window.grow();
        admitted = window.admit(limit, now);
      }
      assertThat(admitted.remaining()).isEqualTo(limit.perUserPerMinute() - i - 1L);
      now += 1_000_000;
    }
    assertThat(window.bytes()).as("128 slots for 100 admissions").isLessThan(1_100);
    assertThat(window.limit()).isEqualTo(1_000_000);
  }

  @Test
  void gcraWithTheSameParametersWouldNotBeExact() {
    // Why not a GCRA of burst N refilling N per minute: it lets 2N-1 through in one 60 s window.
    TokenBucket gcra = TokenBucket.full(3 / 60.0, 3);
    long second = 1_000_000_000L;
    long admitted = 0;
    for (long t = 0; t < 60 * second; t += second) {
      admitted += gcra.tryTake(t) > 0 ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(5);
  }

  /** Admissions after {@code sinceMs} (exclusive): the sliding log's count. */
  private static long countSince(List<Long> admitted, long sinceMs) {
    long count = 0;
    for (int i = admitted.size() - 1; i >= 0 && admitted.get(i) > sinceMs; i--) {
      count++;
    }
    return count;
  }
}
