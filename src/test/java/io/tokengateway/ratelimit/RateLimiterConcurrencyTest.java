package io.tokengateway.ratelimit;

import static io.tokengateway.ratelimit.TestTenants.configured;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.tenant.Tenant;
import io.tokengateway.testing.Await;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5 item 4: one limiter under many event loops at once gives out exactly its budget, no more, no less.
 * The clock is frozen, so the budget is the burst (or the user's N) and nothing refills.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RateLimiterConcurrencyTest {

  static final int THREADS = 8;
  static final int REQUESTS = 10_000;

  final RateLimiter limiter = new RateLimiter(new FakeClock(42), RateLimiter.DEFAULT_MAX_USER_STATE_BYTES,
    Runnable::run);

  @Test
  void eightEventLoopsGetExactlyTheTenantBurst() {
    Tenant acme = configured("acme", 1, 500, 30);
    AtomicInteger allowed = new AtomicInteger();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(THREADS));
    try {
      Await.await(vertx.deployVerticle(() -> new AbstractVerticle() {
        @Override
        public void start() {
          for (int i = 0; i < REQUESTS / THREADS; i++) {
            allowed.addAndGet(limiter.admit(acme, "user-" + (i % 1_000)).allowed() ? 1 : 0);
          }
        }
      }, new DeploymentOptions().setInstances(THREADS)));
    } finally {
      Await.await(vertx.close());
    }
    assertThat(allowed).hasValue(500);
  }

  @Test
  void eightThreadsOfOneUserGetExactlyItsWindow() throws Exception {
    Tenant acme = configured("acme", 0, 0, 50);
    assertThat(race(i -> limiter.admit(acme, "alice").allowed())).isEqualTo(50);
  }

  @Test
  void eightThreadsOfOneBusyUserGetExactlyItsWindow() throws Exception {
    // Long enough for the threads to overlap even on a busy 2-core machine; half the attempts are admitted, so
    // they contend for the same window (and its growth) for most of the race.
    int requests = 40 * REQUESTS;
    Tenant acme = configured("acme", 0, 0, requests / 2);
    assertThat(race(requests, i -> limiter.admit(acme, "alice").allowed())).isEqualTo(requests / 2);
  }

  @Test
  void aWindowGrowingUnderEightThreadsLosesAndAddsNoAdmission() throws Exception {
    // 16 slots at first, grown 5 times up to 500 while every thread admits: each swap must copy exactly.
    Tenant acme = configured("acme", 0, 0, 500);
    assertThat(race(i -> limiter.admit(acme, "alice").allowed())).isEqualTo(500);
  }

  @Test
  void refusalsByTheUserGiveTheirTenantTokensBack() throws Exception {
    Tenant acme = configured("acme", 1, 500, 100);
    assertThat(race(i -> limiter.admit(acme, "alice").allowed())).isEqualTo(100);
    assertThat(race(i -> limiter.admit(acme, "user-" + i).allowed())).isEqualTo(400);
  }

  @Test
  void bucketsResizedUnderTrafficLoseAndMintNoToken() throws Exception {
    // Event loops holding the Tenant of before and after a reload: every call resizes, keeping the level.
    Tenant before = configured("acme", 1, 500, 0);
    Tenant after = configured("acme", 2, 500, 0);
    assertThat(race(i -> limiter.admit(i % 2 == 0 ? before : after, "u").allowed())).isEqualTo(500);
  }

  @Test
  void bucketsResizedUnderLongTrafficLoseAndMintNoToken() throws Exception {
    // As above, long enough for the threads to overlap on a busy machine: half the attempts find a token.
    int requests = 20 * REQUESTS;
    Tenant before = configured("acme", 1, requests / 2, 0);
    Tenant after = configured("acme", 2, requests / 2, 0);
    assertThat(race(requests, i -> limiter.admit(i % 2 == 0 ? before : after, "u").allowed())).isEqualTo(requests / 2);
  }

  /** {@link #REQUESTS} attempts from {@link #THREADS} threads released at once; the number that were allowed. */
  private int race(IntFunction<Boolean> attempt) throws Exception {
    return race(REQUESTS, attempt);
  }

  private int race(int requests, IntFunction<Boolean> attempt) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger allowed = new AtomicInteger();
    for (int t = 0; t < THREADS; t++) {
      int offset = t * (requests / THREADS);
      threads.execute(() -> {
        awaitQuietly(start);
        for (int i = offset; i < offset + requests / THREADS; i++) {
          allowed.addAndGet(attempt.apply(i) ? 1 : 0);
        }
      });
    }
    start.countDown();
    threads.shutdown();
    assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    return allowed.get();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
