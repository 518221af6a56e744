package io.tokengateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * Tokens whose signature and claims were already checked (Envoy's {@code jwt_cache_config} is the
 * precedent): keyed by the SHA-256 of the whole token, so a different token can never hit another's
 * entry; bounded in size; {@code exp} and {@code nbf} re-checked on every hit. An entry remembers the
 * key set that verified it: once the keys change (rotation, a refresh with other keys) it no longer
 * counts and the token is verified afresh, so a removed key stops vouching for anything at once. A
 * refresh that brings the same keys keeps the key set ({@link KeySet#sameKeys}), and so the entries.
 */
final class VerifiedTokens {

  /** About 200 bytes an entry: 50,000 session tokens in ~10 MB. */
  static final int MAX_ENTRIES = 50_000;
  /** An idle entry goes after this even if its token lives longer. */
  static final Duration IDLE_EXPIRY = Duration.ofMinutes(10);

  /** SHA-256 as four longs: cheap to hash and compare, 32 bytes of key. */
  record Key(long a, long b, long c, long d) {}

  private record Entry(Caller caller, long notBefore, KeySet keys) {}

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });

  private final Cache<Key, Entry> entries = Caffeine.newBuilder()
    .maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE_EXPIRY).executor(Runnable::run).build();
  private final long skewSeconds;

  VerifiedTokens(long skewSeconds) {
    this.skewSeconds = skewSeconds;
  }

  static Key key(String token) {
    ByteBuffer hash = ByteBuffer.wrap(SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
    return new Key(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
  }

  /** The caller of an already verified token, still within its validity and verified by {@code current}; else null. */
  Caller lookup(Key key, KeySet current, long nowSeconds) {
    Entry entry = entries.getIfPresent(key);
    if (entry == null || entry.keys() != current) {
      return null;
    }
    if (nowSeconds - skewSeconds >= entry.caller().expiresAtEpochSeconds() || entry.notBefore() > nowSeconds + skewSeconds) {
      entries.invalidate(key);
      return null;
    }
    return entry.caller();
  }

  void remember(Key key, Caller caller, long notBefore, KeySet verifiedBy) {
    if (verifiedBy != null) {
      entries.put(key, new Entry(caller, notBefore, verifiedBy));
    }
  }
}
