package io.tokengateway.control;

import io.netty.util.concurrent.FastThreadLocal;
import io.tokengateway.auth.Caller;
import io.tokengateway.json.IsoTime;
import io.tokengateway.policy.UpstreamBody;
import io.tokengateway.tenant.Tenant;
import io.tokengateway.upstream.MintedToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's issuance ledger (CONTRACT §13): every issued token, kept until the latest moment a session
 * started with it can end ({@code expiresAt} + its session cap, or + {@link #NO_CAP_MILLIS}). A ring of
 * {@code management.ledgerMaxEntries} slots ({@link LedgerRing}) written lock-free by every event loop: when
 * full, the oldest entry is overwritten (counted in {@link #dropped} when it was still live). Reads scan newest
 * first.
 */
public final class Ledger {

  /** How long after its {@code expiresAt} a token without a session cap is kept (CONTRACT §13). */
  static final long NO_CAP_MILLIS = 3_600_000;
  private static final HexFormat HEX = HexFormat.of();
  /**
   * One digest per thread ({@code MessageDigest.getInstance} per issuance was a provider look-up each time), in
   * Netty's thread local: an array slot on an event loop.
   */
  private static final FastThreadLocal<MessageDigest> SHA256 = new FastThreadLocal<>() {
    @Override
    protected MessageDigest initialValue() throws NoSuchAlgorithmException {
      return MessageDigest.getInstance("SHA-256");
    }
  };

  private final LedgerRing ring;
  private final AtomicLong next = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final Clock clock;
  private final String node;
  private final Audit audit;

  Ledger(int maxEntries, Clock clock, String node, Audit audit) {
    this.ring = new LedgerRing(maxEntries, node);
    this.clock = clock;
    this.node = node;
    this.audit = audit;
  }

  /**
   * Records one relayed token. The scope and lifetime are the facts {@link UpstreamBody} carries beside the exact
   * bytes sent to Decart (written from the same values), so the ledger holds what the token allows without
   * parsing those bytes again. {@code leaseId} is null for tenants without session admission (CONTRACT §12).
   */
  public void record(String requestId, Caller caller, Tenant tenant, UpstreamBody sent, MintedToken token,
                     String leaseId) {
    long now = clock.millis();
    LedgerEntry entry = entry(requestId, caller, tenant, sent, token, leaseId, now);
    store(entry, now);
    audit.issued(entry);
  }

  LedgerEntry entry(String requestId, Caller caller, Tenant tenant, UpstreamBody sent, MintedToken token,
                    String leaseId, long now) {
    long expiresAt = expiresAt(token.expiresAt(), now, sent.expiresIn());
    long cap = sent.sessionSeconds() == 0 ? NO_CAP_MILLIS : sent.sessionSeconds() * 1000L;
    return new LedgerEntry(next.getAndIncrement(), requestId, tenant.id(), caller.userId(),
      caller.sessionId(), now, expiresAt, expiresAt + cap, scope(sent.allowedModels(), tenant.allowedModels()),
      scope(sent.allowedOrigins(), tenant.allowedOrigins()), leaseId, keyHash(token.apiKey()), node);
  }

  void store(LedgerEntry entry, long now) {
    if (ring.put(entry, now)) {
      dropped.increment();
    }
  }

  /** Live entries of {@code tenant} (and {@code user} when not null), newest first, at most {@code limit}. */
  List<LedgerEntry> entries(String tenant, String user, int limit) {
    long now = clock.millis();
    byte[] userBytes = user == null ? null : user.getBytes(StandardCharsets.UTF_8);
    List<LedgerEntry> found = new ArrayList<>();
    long newest = next.get() - 1;
    for (long seq = newest; seq >= 0 && seq > newest - ring.capacity() && found.size() < limit; seq--) {
      LedgerEntry entry = ring.get(seq, now, tenant, userBytes);
      if (entry != null) {
        found.add(entry);
      }
    }
    return found;
  }

  /** What this node issued to the scope that stays usable (CONTRACT §13 {@code exposure}). */
  Exposure exposure(String tenant, String user) {
    return ring.exposure(tenant, user == null ? null : user.getBytes(StandardCharsets.UTF_8), clock.millis());
  }

  /** Frees the slots of entries past their last session end (reads skip them anyway). */
  void sweep() {
    ring.sweep(clock.millis());
  }

  /** Live entries overwritten because the ring was full ({@code token_gateway_ledger_dropped_total}). */
  public long dropped() {
    return dropped.sum();
  }

  /** Trust Decart's {@code expiresAt} (CONTRACT §2); only an unreadable one falls back to the asked lifetime. */
  static long expiresAt(String expiresAt, long now, int expiresInSeconds) {
    long millis = IsoTime.parseUtc(expiresAt);
    if (millis != IsoTime.UNREAD) {
      return millis;
    }
    try {
      return Instant.parse(expiresAt).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(expiresAt).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        try {
          return LocalDateTime.parse(expiresAt).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e3) {
          return now + expiresInSeconds * 1000L;
        }
      }
    }
  }

  /** The tenant's own list instance when the token carries exactly it: one list for many entries. */
  private static List<String> scope(List<String> sent, List<String> tenantList) {
    return sent == null ? null : sent.equals(tenantList) ? tenantList : List.copyOf(sent);
  }

  /** The first 16 hex digits of the SHA-256 of the {@code ek_} key: enough to match a token seen elsewhere. */
  static String keyHash(String apiKey) {
    byte[] digest = SHA256.get().digest(apiKey.getBytes(StandardCharsets.UTF_8));
    return HEX.formatHex(digest, 0, 8);
  }
}
