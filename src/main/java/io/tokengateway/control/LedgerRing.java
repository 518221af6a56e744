package io.tokengateway.control;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The ledger's slots (CONTRACT §13): entry {@code seq} lives in slot {@code seq % capacity}, kept as numbers and
 * UTF-8 bytes in arrays made per block of {@link #BLOCK} slots rather than as objects per entry; the sweep lets
 * a block go once all its entries have ended. Entries stay for an hour or more: as objects, every young
 * collection copied the newest ones until they were promoted (bench/README "Round 4"), and every full one marked
 * them all. Only the tenant id and the scope lists are kept as references: they are the tenant's own,
 * long-lived objects. An entry whose text does not fit its slot is kept whole (rare: ids of hundreds of bytes).
 *
 * <p>Each slot is a seqlock. Its stamp is 0 when empty, {@code seq + 1} when it holds entry {@code seq}, and
 * {@code -(seq + 1)} while the holder of {@code seq} writes it; readers keep what they read only when the stamp
 * was the same before and after.
 */
final class LedgerRing {

  /** Slots per block; a block is made when a slot of it is first written (an idle ledger holds none). */
  static final int BLOCK = 1024;
  private static final int STAMP = 0;
  private static final int ISSUED = 1;
  private static final int EXPIRES = 2;
  private static final int ENDS = 3;
  private static final int KEY = 4;
  private static final int LONGS = 5;
  private static final int TENANT = 0;
  private static final int MODELS = 1;
  private static final int ORIGINS = 2;
  private static final int WHOLE = 3;
  private static final int REFS = 4;
  private static final long LOST = Long.MIN_VALUE;
  private static final int CLOSED = Integer.MIN_VALUE;
  private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);
  private static final HexFormat HEX = HexFormat.of();

  /**
   * {@code writers}: how many {@code put}s are inside, or {@link #CLOSED} while the sweeper decides whether to let
   * the block go (it does when every slot is empty, so a ledger whose entries have ended gives its memory back).
   */
  private record Block(long[] longs, byte[] text, Object[] refs, AtomicInteger writers) {
    Block() {
      this(new long[BLOCK * LONGS], new byte[BLOCK * LedgerText.BYTES], new Object[BLOCK * REFS], new AtomicInteger());
    }

    boolean enter() {
      int inside = writers.get();
      while (inside >= 0 && !writers.compareAndSet(inside, inside + 1)) {
        inside = writers.get();
      }
      return inside >= 0;
    }

    void exit() {
      writers.decrementAndGet();
    }

    boolean empty() {
      for (int i = 0; i < BLOCK; i++) {
        if ((long) LONG.getAcquire(longs, i * LONGS + STAMP) != 0) {
          return false;
        }
      }
      return true;
    }
  }

  private final int capacity;
  private final String node;
  private final AtomicReferenceArray<Block> blocks;

  LedgerRing(int capacity, String node) {
    this.capacity = capacity;
    this.node = node;
    this.blocks = new AtomicReferenceArray<>((capacity + BLOCK - 1) / BLOCK);
  }

  int capacity() {
    return capacity;
  }

  /**
   * Writes {@code entry} into its slot. True when a live entry was lost: the one it overwrote, or this one when
   * a newer entry (a whole ring ahead) already holds the slot.
   */
  boolean put(LedgerEntry entry, long now) {
    int slot = (int) (entry.seq() % capacity);
    Block block = block(slot / BLOCK);
    while (!block.enter()) {
      Thread.onSpinWait();  // the sweeper is checking this empty block (1,024 stamps), then drops or reopens it
      block = block(slot / BLOCK);
    }
    try {
      return put(block, slot % BLOCK, entry, now);
    } finally {
      block.exit();
    }
  }

  private static boolean put(Block block, int i, LedgerEntry entry, long now) {
    long previous = claim(block.longs, i * LONGS + STAMP, entry.seq());
    if (previous == LOST) {
      return true;
    }
    boolean overwroteLive = previous > 0 && block.longs[i * LONGS + ENDS] > now;
    write(block, i, entry);
    LONG.setRelease(block.longs, i * LONGS + STAMP, entry.seq() + 1);
    return overwroteLive;
  }

  /** Entry {@code seq} when its slot still holds it, it is live at {@code now} and of the scope; else null. */
  LedgerEntry get(long seq, long now, String tenant, byte[] user) {
    int slot = (int) (seq % capacity);
    Block block = blocks.get(slot / BLOCK);
    if (block == null) {
      return null;
    }
    int i = slot % BLOCK;
    long stamp = (long) LONG.getAcquire(block.longs, i * LONGS + STAMP);
    if (stamp != seq + 1) {
      return null;
    }
    LedgerEntry entry = block.longs[i * LONGS + ENDS] > now && matches(block, i, tenant, user)
      ? read(block, i, seq) : null;
    return unchanged(block, i, stamp) ? entry : null;
  }

  /** What the live entries of the scope stay usable for (CONTRACT §13 {@code exposure}). */
  Exposure exposure(String tenant, byte[] user, long now) {
    Exposure exposure = Exposure.NONE;
    for (int b = 0; b < blocks.length(); b++) {
      Block block = blocks.get(b);
      for (int i = 0; block != null && i < BLOCK; i++) {
        long stamp = (long) LONG.getAcquire(block.longs, i * LONGS + STAMP);
        long expiresAt = block.longs[i * LONGS + EXPIRES];
        long endsBy = block.longs[i * LONGS + ENDS];
        boolean counts = stamp > 0 && endsBy > now && matches(block, i, tenant, user);
        if (counts && unchanged(block, i, stamp)) {
          exposure = exposure.plus(expiresAt, endsBy, now);
        }
      }
    }
    return exposure;
  }

  /**
   * Empties the slots of entries past their last session end, letting go of what they referenced, and lets go
   * of blocks left empty.
   */
  void sweep(long now) {
    for (int b = 0; b < blocks.length(); b++) {
      Block block = blocks.get(b);
      for (int i = 0; block != null && i < BLOCK; i++) {
        int at = i * LONGS + STAMP;
        long stamp = (long) LONG.getAcquire(block.longs, at);
        if (stamp > 0 && block.longs[i * LONGS + ENDS] <= now && LONG.compareAndSet(block.longs, at, stamp, -stamp)) {
          Arrays.fill(block.refs, i * REFS, i * REFS + REFS, null);
          LONG.setRelease(block.longs, at, 0L);
        }
      }
      if (block != null && block.empty()) {
        drop(b, block);
      }
    }
  }

  /**
   * Closes an empty block to writers and lets it go when it is still empty: a writer that came and went between
   * the two looks left an entry, and the block is reopened instead. Writers arriving meanwhile wait for either.
   */
  private void drop(int index, Block block) {
    if (!block.writers.compareAndSet(0, CLOSED)) {
      return;  // a writer is inside: the block is in use
    }
    if (block.empty()) {
      blocks.compareAndSet(index, block, null);
    } else {
      block.writers.set(0);
    }
  }

  /** How many blocks are made (for tests and diagnostics). */
  int blocksMade() {
    int made = 0;
    for (int b = 0; b < blocks.length(); b++) {
      made += blocks.get(b) == null ? 0 : 1;
    }
    return made;
  }

  /** How many slots hold an entry (for tests and diagnostics: it scans the ring). */
  int held() {
    int held = 0;
    for (int b = 0; b < blocks.length(); b++) {
      Block block = blocks.get(b);
      for (int i = 0; block != null && i < BLOCK; i++) {
        held += (long) LONG.getAcquire(block.longs, i * LONGS + STAMP) > 0 ? 1 : 0;
      }
    }
    return held;
  }

  private Block block(int index) {
    Block block = blocks.get(index);
    if (block == null) {
      Block made = new Block();
      block = blocks.compareAndExchange(index, null, made);
      return block == null ? made : block;
    }
    return block;
  }

  /**
   * Takes the slot for {@code seq}: its stamp before, or {@link #LOST} when a newer entry holds it. A writer
   * still in the slot holds an older entry, a whole ring behind: it is waited for (a few field writes).
   */
  private static long claim(long[] longs, int at, long seq) {
    while (true) {
      long stamp = (long) LONG.getAcquire(longs, at);
      long held = stamp > 0 ? stamp - 1 : -stamp - 1;
      if (stamp != 0 && held > seq) {
        return LOST;
      }
      if (stamp < 0) {
        Thread.onSpinWait();
      } else if (LONG.compareAndSet(longs, at, stamp, -(seq + 1))) {
        return stamp;
      }
    }
  }

  /** The optimistic read's check, as {@code StampedLock.validate}: an acquire fence, then the stamp again. */
  private static boolean unchanged(Block block, int i, long stamp) {
    VarHandle.acquireFence();
    return (long) LONG.getAcquire(block.longs, i * LONGS + STAMP) == stamp;
  }

  private static void write(Block block, int i, LedgerEntry entry) {
    int at = i * LONGS;
    block.longs[at + ISSUED] = entry.issuedAt();
    block.longs[at + EXPIRES] = entry.expiresAt();
    block.longs[at + ENDS] = entry.sessionEndsBy();
    int r = i * REFS;
    block.refs[r + TENANT] = entry.tenant();
    block.refs[r + MODELS] = entry.allowedModels();
    block.refs[r + ORIGINS] = entry.allowedOrigins();
    boolean fits = isKeyHash(entry.keyHash()) && LedgerText.put(block.text, i * LedgerText.BYTES, entry);
    block.longs[at + KEY] = fits ? HexFormat.fromHexDigitsToLong(entry.keyHash()) : 0;
    block.refs[r + WHOLE] = fits ? null : entry;
  }

  @SuppressWarnings("unchecked")
  private LedgerEntry read(Block block, int i, long seq) {
    Object[] refs = block.refs;
    int r = i * REFS;
    if (refs[r + WHOLE] instanceof LedgerEntry whole) {
      return whole.seq() == seq ? whole : null;
    }
    String[] texts = LedgerText.get(block.text, i * LedgerText.BYTES);
    if (texts == null || !(refs[r + TENANT] instanceof String tenant)) {
      return null;  // torn by a writer: the stamp check throws this read away
    }
    long[] longs = block.longs;
    int at = i * LONGS;
    return new LedgerEntry(seq, texts[0], tenant, texts[1], texts[2], longs[at + ISSUED], longs[at + EXPIRES],
      longs[at + ENDS], (List<String>) refs[r + MODELS], (List<String>) refs[r + ORIGINS], texts[3],
      HEX.toHexDigits(longs[at + KEY]), node);
  }

  /** Tenant by reference or value, user (when given) by its UTF-8 bytes, without making objects. */
  private static boolean matches(Block block, int i, String tenant, byte[] user) {
    Object[] refs = block.refs;
    if (refs[i * REFS + WHOLE] instanceof LedgerEntry whole) {
      byte[] wholeUser = whole.user() == null ? null : whole.user().getBytes(StandardCharsets.UTF_8);
      return whole.tenant().equals(tenant) && (user == null || Arrays.equals(wholeUser, user));
    }
    return tenant.equals(refs[i * REFS + TENANT])
      && (user == null || LedgerText.userIs(block.text, i * LedgerText.BYTES, user));
  }

  /** The ledger's own {@code keyHash} (16 lower-case hex digits) is kept as a number; anything else whole. */
  private static boolean isKeyHash(String keyHash) {
    if (keyHash == null || keyHash.length() != 16) {
      return false;
    }
    for (int k = 0; k < 16; k++) {
      char c = keyHash.charAt(k);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
