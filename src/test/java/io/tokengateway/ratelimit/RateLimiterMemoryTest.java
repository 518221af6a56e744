package io.tokengateway.ratelimit;

import static io.tokengateway.ratelimit.TestTenants.configured;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.tenant.Tenant;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5 item 2: a million distinct users cost a known, bounded amount of heap and leave when idle.
 * Heap figures are printed, and asserted only against generous bounds: a GC'd heap is not a precise scale.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RateLimiterMemoryTest {

  static final int USERS = 1_000_000;
  /** Enough to weigh one user precisely, few enough for a small test heap (about 110 MB). */
  static final int MEASURED_USERS = 250_000;
  /** The contract's default perUserPerMinute, and user ids as long as "user-123456". */
  static final Tenant ACME = configured("acme", 0, 0, 30);
  static final long MIB = 1L << 20;

  final FakeClock clock = new FakeClock(0);

  @Test
  void bytesPerTrackedUserMatchTheWeigher() {
    RateLimiter limiter = new RateLimiter(clock, Long.MAX_VALUE, Runnable::run);
    long before = usedHeap();
    admitDistinctUsers(limiter, MEASURED_USERS);
    long bytesPerUser = (usedHeap() - before) / MEASURED_USERS;
    long weighed = RateLimiter.ENTRY_OVERHEAD_BYTES + "acme\0user-123456".length() + new UserWindow(30).bytes();
    System.out.printf("rate limiter: %d bytes per tracked user measured, %d weighed (perUserPerMinute 30)%n",
      bytesPerUser, weighed);
    assertThat(limiter.trackedUsers()).isEqualTo(MEASURED_USERS);
    assertThat(bytesPerUser).isBetween(weighed / 2, weighed * 5 / 4);
  }

  @Test
  void aMillionUsersStayWithinTheByteCapAndLeaveWhenIdle() {
    long cap = 32 * MIB;
    RateLimiter limiter = new RateLimiter(clock, cap, Runnable::run);
    long before = usedHeap();
    admitDistinctUsers(limiter, USERS);
    long tracked = limiter.trackedUsers();
    long used = usedHeap() - before;
    System.out.printf("rate limiter: %d of %d users tracked in %d MiB (cap %d MiB)%n", tracked, USERS,
      used / MIB, cap / MIB);
    assertThat(tracked).isLessThan(USERS);
    assertThat(used).isLessThan(cap * 3 / 2);
    clock.advance(RateLimiter.USER_IDLE_EXPIRY.plus(Duration.ofMillis(1)));
    assertThat(limiter.trackedUsers()).isZero();
  }

  @Test
  void usersStayTrackedWhileTheirAdmissionsAreInTheWindow() {
    RateLimiter limiter = new RateLimiter(clock, Long.MAX_VALUE, Runnable::run);
    limiter.admit(ACME, "alice");
    clock.advance(Duration.ofSeconds(59));
    assertThat(limiter.trackedUsers()).isOne();
    clock.advance(Duration.ofSeconds(2));
    assertThat(limiter.trackedUsers()).isZero();
  }

  @Test
  void aWindowGrownByUseIsWeighedAnew() {
    RateLimiter limiter = new RateLimiter(clock, Long.MAX_VALUE, Runnable::run);
    Tenant busy = configured("acme", 0, 0, 1_000);
    limiter.admit(busy, "alice");
    long oneAdmission = limiter.userStateBytes();
    for (int i = 0; i < 99; i++) {
      limiter.admit(busy, "alice");
    }
    assertThat(limiter.userStateBytes()).as("16 slots grown to 128").isEqualTo(oneAdmission + 8 * (128 - 16));
  }

  private static void admitDistinctUsers(RateLimiter limiter, int users) {
    for (int i = 0; i < users; i++) {
      limiter.admit(ACME, "user-" + (100_000 + i));
    }
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
