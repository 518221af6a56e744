package io.tokengateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.Tenant;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;

/**
 * The tenant and per-user limits (CONTRACT §4 {@code rateLimit}, §6 429), one instance shared by every event loop:
 * no lock on the request path, O(1) per request (O(log N) to count the user's remaining for the header). A refusal
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
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  /** By tenant id + NUL + user id (a tenant id holds no NUL); dropped when idle; over the cap, the least used go. */
  private final Cache<String, UserWindow> users;

  public RateLimiter() {
    this(System::nanoTime, DEFAULT_MAX_USER_STATE_BYTES, ForkJoinPool.commonPool());
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
    UserWindow window = userKey == null ? null : window(userKey, limit.perUserPerMinute(), now, false);
    long userWait = window == null ? 0 : window.waitNanos(now);
    if (userWait > 0) {
      return Admission.refused(limit, Admission.USER, userWait);
    }
    return limit.perSecond() == 0 ? admitUser(limit, userKey, now, null, 0)
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

  private Admission admitTenant(String bucketKey, RateLimit limit, String userKey, long now) {
    while (true) {
      TokenBucket bucket = bucket(bucketKey, limit, now);
      long debt = bucket.tryTake(now);
      if (debt == TokenBucket.REFUSED) {
        return Admission.refused(limit, Admission.TENANT, bucket.waitNanos(now));
      }
      if (debt != TokenBucket.RETIRED) {
        return admitUser(limit, userKey, now, bucket, debt);
      }
    }
  }

  private Admission admitUser(RateLimit limit, String userKey, long now, TokenBucket bucket, long debt) {
    Admission byTenant = bucket == null ? null
      : Admission.admitted(limit, Admission.TENANT, bucket.remaining(debt), bucket.nanosToNextToken(debt));
    if (userKey == null) {
      return byTenant;
    }
    UserWindow window = window(userKey, limit.perUserPerMinute(), now, true);
    long index = window.tryAdmit(now);
    while (index == UserWindow.FULL || index == UserWindow.RETIRED) {
      window = index == UserWindow.FULL ? grow(userKey, window, now) : window(userKey, limit.perUserPerMinute(), now, true);
      index = window.tryAdmit(now);
    }
    if (index == UserWindow.REFUSED) {
      if (bucket != null) {
        bucket.refund();
      }
      return Admission.refused(limit, Admission.USER, window.waitNanos(now));
    }
    long oldest = window.oldestInWindow(index, now);
    return Admission.closer(byTenant, Admission.admitted(limit, Admission.USER, window.remaining(index, oldest),
      window.nanosUntilExpiry(oldest, now)));
  }

  /** The tenant's bucket, resized in place of the old one (keeping its level) when a reload changed its limits. */
  private TokenBucket bucket(String key, RateLimit limit, long now) {
    double fraction = share;
    double perSecond = limit.perSecond() * fraction;
    int burst = Math.max(1, (int) Math.round(limit.burst() * fraction));
    TokenBucket bucket = buckets.get(key);
    if (bucket == null) {
      bucket = buckets.computeIfAbsent(key, k -> TokenBucket.full(perSecond, burst));
    }
    if (bucket.hasLimits(perSecond, burst) && !bucket.isRetired()) {
      return bucket;
    }
    TokenBucket resized = bucket.resize(perSecond, burst, now);
    return buckets.replace(key, bucket, resized) ? resized : bucket(key, limit, now);
  }

  /**
   * The user's window, created only when {@code create} (a refused request leaves no state behind). A changed
   * {@code perUserPerMinute} carries the recent admissions over (the old window is sealed first: none is missed).
   */
  private UserWindow window(String key, int limit, long now, boolean create) {
    UserWindow window = create ? users.get(key, k -> new UserWindow(limit)) : users.getIfPresent(key);
    if (window == null || window.limit() == limit) {
      return window;
    }
    UserWindow resized = window.resized(limit, now);
    return users.asMap().replace(key, window, resized) ? resized : window(key, limit, now, create);
  }

  /** A larger window in place of a full one; whoever loses the race takes the winner's. */
  private UserWindow grow(String key, UserWindow full, long now) {
    UserWindow grown = full.grown(now);
    return users.asMap().replace(key, full, grown) ? grown : window(key, full.limit(), now, true);
  }
}
