package io.tokengateway.upstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import io.tokengateway.logging.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The keys of one Decart account (CONTRACT §14): primary first, swapped whole when the key file
 * changes; a key Decart answered 401/403 for is skipped by every request for the cooldown while
 * another key is usable. Keys are named only as {@code #index (8 hex of SHA-256)}. Thread-safe.
 */
public final class KeyRing {

  private static final Logger LOG = LogManager.getLogger(KeyRing.class);

  private final String account;
  private final long cooldownMs;
  private final LongSupplier clockMs;
  private final Map<String, Long> coolingUntil = new ConcurrentHashMap<>();
  private final AtomicLong rejections = new AtomicLong();
  private volatile List<String> keys;

  KeyRing(String account, List<String> keys, long cooldownMs, LongSupplier clockMs) {
    this.account = account;
    this.keys = List.copyOf(keys);
    this.cooldownMs = cooldownMs;
    this.clockMs = clockMs;
  }

  public String account() {
    return account;
  }

  /** The key new requests use first (sessions poll the account's quota with it). */
  public String primary() {
    return keys.get(0);
  }

  /**
   * The key for the next attempt of a request that has already tried {@code tried}: the first one not
   * cooling down; when every key cools down, a request's first attempt still takes the first one (a key
   * may have come back), and later attempts get null (every key rejected).
   */
  String next(List<String> tried) {
    List<String> current = keys;
    long now = clockMs.getAsLong();
    for (String key : current) {
      if (!tried.contains(key) && coolingUntil.getOrDefault(key, Long.MIN_VALUE) <= now) {
        return key;
      }
    }
    return tried.isEmpty() ? current.get(0) : null;
  }

  /** Decart answered 401/403 for {@code key}: every request skips it for the cooldown. */
  void reject(String key, String requestId, String traceId) {
    coolingUntil.put(key, clockMs.getAsLong() + cooldownMs);
    rejections.incrementAndGet();
    LOG.error(LogLine.of("Decart rejected key " + name(key) + " of account " + account + " (401/403); skipped for "
      + cooldownMs / 1000 + " s while another key is usable", requestId, traceId));
  }

  /** A re-read key file: the next request uses these. Cooldowns follow the keys, not their positions. */
  void replace(List<String> fresh) {
    keys = List.copyOf(fresh);
    coolingUntil.keySet().retainAll(fresh);
  }

  List<String> keys() {
    return keys;
  }

  public int size() {
    return keys.size();
  }

  /** Keys cooling down now. */
  public int rejected() {
    long now = clockMs.getAsLong();
    return (int) keys.stream().filter(key -> coolingUntil.getOrDefault(key, Long.MIN_VALUE) > now).count();
  }

  public long rejections() {
    return rejections.get();
  }

  /** How logs name a key: its position and the first 8 hex digits of its SHA-256, never the key. */
  String name(String key) {
    return "#" + (keys.indexOf(key) + 1) + " (" + fingerprint(key) + ")";
  }

  static String fingerprint(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  @Override
  public String toString() {
    return "KeyRing[account=" + account + ", keys=" + keys.size() + "]";
  }
}
