package io.tokengateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.Tenant;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;

/**
 * The tenant and per-user limits (CONTRACT §4 {@code rateLimit}, §6 429), one instance shared by every event loop:
 * a lock-free bucket per tenant and a lock per user, which only that user's own concurrent requests can meet; O(1)
 * per request (O(log N) to count the user's remaining for the header). A refusal
 * consumes nothing: the user window is checked first, a tenant token taken next, the user slot claimed last (the
 * token is given back if that claim loses a race to the same user's concurrent request).
 */
public final class RateLimiter {

  /** The cap on per-user state, in heap bytes: ~155,000 users active in the last minute at perUserPerMinute 30. */
  public static final long DEFAULT_MAX_USER_STATE_BYTES = 64L << 20;
  /** A cached user's bytes besides its key's characters and its window (cache and map nodes, key String): measured. */
  static final int ENTRY_OVERHEAD_BYTES = 136;
  /** Idle user state is dropped after this: by then every admission it remembers has left the 60 s window. */
  static final Duration USER_IDLE_EXPIRY = Duration.ofMillis(UserWindow.WINDOW_MS + 1_000);

  private final LongSupplier nanos;
  /** This node's part of every tenant limit (CONTRACT §10): 1 alone, 1/members in a cluster. */
  private volatile double share = 1.0;
  /** By {@link Tenant#statsKey()}: every tenant served through {@code unknownTenants: defaults} shares one bucket. */
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  /** By tenant id + NUL + user id (a tenant id holds no NUL); dropped when idle; over the cap, the least used go. */
  private final Cache<String, UserWindow> users;

  public RateLimiter() {
    this(System::nanoTime);
  }

  /** On {@code nanoClock} (like {@link System#nanoTime()}): tests step it instead of sleeping. */
  public RateLimiter(LongSupplier nanoClock) {
    this(nanoClock, DEFAULT_MAX_USER_STATE_BYTES, ForkJoinPool.commonPool());
  }

  /** {@code nanoClock} also drives the cache's expiry; {@code maintenance} runs the cache's evictions. */
  RateLimiter(LongSupplier nanoClock, long maxUserStateBytes, Executor maintenance) {
    long origin = nanoClock.getAsLong();
    this.nanos = () -> nanoClock.getAsLong() - origin;
    this.users = Caffeine.newBuilder()
      .maximumWeight(maxUserStateBytes)
      .weigher((String key, UserWindow window) -> ENTRY_OVERHEAD_BYTES + key.length() + window.bytes())
      .expireAfterAccess(USER_IDLE_EXPIRY)
      .ticker(nanoClock::getAsLong)
      .executor(maintenance)
      .build();
  }

  /**
   * Admits one token request of {@code userId} (from the verified JWT) of {@code tenant}. Never throws: a refusal
   * is an {@link Admission} whose {@link Admission#orThrow()} throws the 429, so both answers can carry its headers.
   */
  public Admission admit(Tenant tenant, String userId) {
    RateLimit limit = tenant.rateLimit();
    if (limit.perSecond() == 0 && limit.perUserPerMinute() == 0) {
      return Admission.unlimited(limit);
    }
    long now = nanos.getAsLong();
    String userKey = limit.perUserPerMinute() == 0 ? null : tenant.id() + '\0' + userId;
    UserWindow known = userKey == null ? null : users.getIfPresent(userKey);  // a refusal leaves no state behind
    long userWait = known == null ? 0 : known.waitNanos(limit.perUserPerMinute(), now);
    if (userWait > 0) {
      return Admission.refused(limit, Admission.USER, userWait);
    }
    return limit.perSecond() == 0 ? admitUser(limit, userKey, now, null, null)
      : admitTenant(tenant.statsKey(), limit, userKey, now);
  }

  /**
   * Drops the buckets of tenants no longer configured (on reload): keys are {@link Tenant#statsKey()}s, so include
   * {@link Tenant#DEFAULTS_STATS_KEY} while {@code unknownTenants: defaults}. The other buckets keep their level.
   */
  public void retain(Set<String> tenantBucketKeys) {
    buckets.keySet().retainAll(tenantBucketKeys);
  }

  /**
   * Sets this node's share of each tenant's {@code perSecond} and {@code burst} (burst at least 1);
   * buckets adopt it on their next request, keeping their level (capped at the new burst).
   */
  public void share(double share) {
    this.share = share;
  }

  /** Users tracked now (an estimate), after pending evictions: for tests and the memory figure. */
  long trackedUsers() {
    users.cleanUp();
    return users.estimatedSize();
  }

  /** The weight of the per-user state now, in bytes, after pending evictions: for tests. */
  long userStateBytes() {
    users.cleanUp();
    return users.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** A token from the tenant's bucket, then the user's slot (when a per-user limit applies). */
  private Admission admitTenant(String bucketKey, RateLimit limit, String userKey, long now) {
    TokenBucket bucket = bucket(bucketKey, limit, now);
    long debt = bucket.tryTake(now);
    while (debt == TokenBucket.RETIRED) {  // resized meanwhile by a request that saw other limits
      bucket = bucket(bucketKey, limit, now);
      debt = bucket.tryTake(now);
    }
    if (debt == TokenBucket.REFUSED) {
      return Admission.refused(limit, Admission.TENANT, bucket.waitNanos(now));
    }
    Admission byTenant = Admission.admitted(limit, Admission.TENANT, bucket.remaining(debt),
      bucket.nanosToNextToken(debt));
    return userKey == null ? byTenant : admitUser(limit, userKey, now, bucket, byTenant);
  }

  /** The user's slot, claimed last; a tenant token taken for a user who then loses a race is given back. */
  private Admission admitUser(RateLimit limit, String userKey, long now, TokenBucket bucket, Admission byTenant) {
    UserWindow window = users.get(userKey, k -> new UserWindow(limit.perUserPerMinute()));
    Admission byUser = window.admit(limit, now);
    while (byUser == null) {
      window.grow();
      users.asMap().replace(userKey, window, window);  // weighed anew: it holds more now
      byUser = window.admit(limit, now);
    }
    if (!byUser.allowed() && bucket != null) {
      bucket.refund();
    }
    return byUser.allowed() ? Admission.closer(byTenant, byUser) : byUser;
  }

  /**
   * The tenant's bucket at this node's share of its limits; when a reload or the cluster share changed them, a new
   * bucket keeping the level replaces it, one replacement at a time per tenant (the map's lock for that key).
   */
  private TokenBucket bucket(String key, RateLimit limit, long now) {
    double fraction = share;
    double perSecond = limit.perSecond() * fraction;
    int burst = Math.max(1, (int) Math.round(limit.burst() * fraction));
    TokenBucket bucket = buckets.get(key);
    if (bucket != null && bucket.hasLimits(perSecond, burst) && !bucket.isRetired()) {
      return bucket;
    }
    return buckets.compute(key, (k, old) -> old == null ? TokenBucket.full(perSecond, burst)
      : old.hasLimits(perSecond, burst) ? old : old.resize(perSecond, burst, now));
  }
}
