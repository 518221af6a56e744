package io.tokengateway.ratelimit;

import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.SessionPolicy;
import io.tokengateway.tenant.Tenant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** The admit stage: the tenant bucket alone, and with the per-user window (N = 30) over 100,000 users. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateLimiterBench {

  private static final int USERS = 100_000;
  private final RateLimiter limiter = new RateLimiter();
  private final Tenant bucketOnly = tenant("bucket", new RateLimit(1_000_000_000, 1_000_000_000, 0));
  private final Tenant withUsers = tenant("users", new RateLimit(1_000_000_000, 1_000_000_000, 30));
  private final String[] users = new String[USERS];
  private int next;

  {
    for (int i = 0; i < USERS; i++) {
      users[i] = "user-" + i;
    }
  }

  @Benchmark
  public Object tenantBucket() {
    return limiter.admit(bucketOnly, "u");
  }

  @Benchmark
  public Object tenantAndUser() {
    next = (next + 1) % USERS;
    return limiter.admit(withUsers, users[next]);
  }

  @Benchmark
  @Threads(2)
  public Object tenantBucketContended() {
    return limiter.admit(bucketOnly, "u");
  }

  private static Tenant tenant(String id, RateLimit limit) {
    return new Tenant(id, true, true, "DECART_API_KEY", null, 60, 300, List.of(), List.of(), 0, limit, SessionPolicy.OFF, List.of());
  }
}
