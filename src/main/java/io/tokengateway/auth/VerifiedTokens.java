package io.tokengateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
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

  /**
   * Per thread: the digest, the token's bytes and the hash. The token is hashed straight from the header text, so
   * a cache hit makes no copy of it (it used to be copied twice: the substring, then its UTF-8 bytes).
   */
  private static final class Scratch {
    final MessageDigest sha256;
    final byte[] bytes = new byte[JwtParts.MAX_TOKEN_CHARS];
    final byte[] hash = new byte[32];

    Scratch() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }
  }

  /** Netty's thread local: an array slot on an event loop, where a {@code ThreadLocal} probe missed ~1 % of the CPU. */
  private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected Scratch initialValue() {
      return new Scratch();
    }
  };
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final Cache<Key, Entry> entries = Caffeine.newBuilder()
    .maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE_EXPIRY).executor(Runnable::run).build();
  private final long skewSeconds;

  VerifiedTokens(long skewSeconds) {
    this.skewSeconds = skewSeconds;
  }

  static Key key(String token) {
    return key(token, 0, token.length());
  }

  /**
   * The key of {@code text.substring(from, to)} (at most {@link JwtParts#MAX_TOKEN_CHARS} characters): the SHA-256
   * of its UTF-8 bytes. A JWT is ASCII, whose UTF-8 is one byte a character; anything else is encoded as before.
   */
  static Key key(String text, int from, int to) {
    Scratch scratch = SCRATCH.get();
    int length = to - from;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(from + i);
      if (c >= 0x80) {
        byte[] utf8 = text.substring(from, to).getBytes(StandardCharsets.UTF_8);
        return key(utf8, utf8.length, scratch);
      }
      scratch.bytes[i] = (byte) c;
    }
    return key(scratch.bytes, length, scratch);
  }

  private static Key key(byte[] bytes, int length, Scratch scratch) {
    scratch.sha256.update(bytes, 0, length);
    try {
      scratch.sha256.digest(scratch.hash, 0, scratch.hash.length);
    } catch (DigestException e) {
      throw new IllegalStateException("a 32-byte buffer holds a SHA-256", e);
    }
    byte[] hash = scratch.hash;
    return new Key((long) LONGS.get(hash, 0), (long) LONGS.get(hash, 8), (long) LONGS.get(hash, 16),
      (long) LONGS.get(hash, 24));
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
