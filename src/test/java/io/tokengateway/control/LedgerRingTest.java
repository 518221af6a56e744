package io.tokengateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ledger's slots: every field comes back as written, scope filters, overwrite order, and torn-free reads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedgerRingTest {

  static final long NOW = 1_800_000_000_000L;
  static final List<String> TENANT_MODELS = List.of("lucy-pro-v2v", "mirage");
  static final String NODE = "node-1";

  static LedgerEntry entry(long seq, String requestId, String tenant, String user, String sessionId,
                           String leaseId, List<String> models, long endsBy) {
    return new LedgerEntry(seq, requestId, tenant, user, sessionId, NOW - 5, endsBy - 120_000, endsBy, models,
      models == null ? null : List.of("https://app.example"), leaseId, String.format("%016x", seq * 0x9E3779B97F4AL),
      NODE);
  }

  static LedgerEntry plain(long seq, String tenant, String user) {
    return entry(seq, "req-" + seq, tenant, user, "sid-" + seq, null, null, NOW + 60_000);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyFieldComesBackAsWritten() {
    String requestId128 = "r".repeat(128);
    List<LedgerEntry> entries = List.of(
      entry(0, "0123456789abcdef0123456789abcdef", "acme", "user-1", "sid-1", "AAECAwQFBgcICQoLDA0ODw", TENANT_MODELS,
        NOW + 1),
      entry(1, "req-1", "acme", "user-2", null, null, null, NOW + 60_000),
      entry(2, "req-2", "acme", "Zoë 🚀", "séance", null, List.of("mirage"), NOW + 60_000),
      entry(3, "req-3", "acme", "lone \uD800 surrogate", "sid", null, null, NOW + 60_000),
      entry(4, requestId128, "acme", "u".repeat(40), "s".repeat(40), "AAECAwQFBgcICQoLDA0ODw", null, NOW + 60_000),
      entry(5, "req-5", "acme", "", "", null, null, NOW + 60_000),
      new LedgerEntry(6, "req-6", "acme", "user-6", null, NOW, NOW + 1, NOW + 2, null, null, null, "NOT-A-HASH",
        NODE));
    LedgerRing ring = new LedgerRing(16, NODE);
    for (LedgerEntry entry : entries) {
      assertThat(ring.put(entry, NOW)).isFalse();
    }
    for (LedgerEntry entry : entries) {
      assertThat(ring.get(entry.seq(), NOW, "acme", null)).as("entry %d", entry.seq()).isEqualTo(entry);
      assertThat(ring.get(entry.seq(), NOW, "acme", utf8(entry.user()))).isEqualTo(entry);
    }
  }

  @Test
  void getKeepsToTheScopeAndToLiveEntries() {
    LedgerRing ring = new LedgerRing(8, NODE);
    ring.put(plain(0, "acme", "alice"), NOW);
    ring.put(entry(1, "req-1", "acme", "bob", null, null, null, NOW), NOW);  // ends now: no longer live
    assertThat(ring.get(0, NOW, "acme", utf8("alice"))).isNotNull();
    assertThat(ring.get(0, NOW, "acme", utf8("alic"))).isNull();
    assertThat(ring.get(0, NOW, "acme", utf8("alice2"))).isNull();
    assertThat(ring.get(0, NOW, "globex", null)).isNull();
    assertThat(ring.get(1, NOW, "acme", null)).isNull();
    assertThat(ring.get(1, NOW - 1, "acme", null)).isNotNull();
    assertThat(ring.get(2, NOW, "acme", null)).as("never written").isNull();
    assertThat(ring.get(8, NOW, "acme", null)).as("seq 8 would be slot 0, which holds seq 0").isNull();
  }

  @Test
  void theNewestEntryOfASlotWinsAndLostLiveEntriesAreReported() {
    LedgerRing ring = new LedgerRing(4, NODE);
    for (long seq = 0; seq < 4; seq++) {
      assertThat(ring.put(plain(seq, "acme", "u"), NOW)).isFalse();
    }
    assertThat(ring.put(plain(4, "acme", "u"), NOW)).as("overwrites live seq 0").isTrue();
    assertThat(ring.get(0, NOW, "acme", null)).isNull();
    assertThat(ring.get(4, NOW, "acme", null)).isEqualTo(plain(4, "acme", "u"));
    assertThat(ring.put(plain(9, "acme", "u"), NOW)).isTrue();
    assertThat(ring.put(plain(5, "acme", "u"), NOW)).as("slot 1 holds seq 9: seq 5 is the one lost").isTrue();
    assertThat(ring.get(9, NOW, "acme", null)).isEqualTo(plain(9, "acme", "u"));
    assertThat(ring.get(5, NOW, "acme", null)).isNull();
    ring.put(entry(6, "req-6", "acme", "u", null, null, null, NOW - 1), NOW);
    assertThat(ring.put(plain(10, "acme", "u"), NOW)).as("seq 6 was no longer live").isFalse();
  }

  @Test
  void exposureSumsTheLiveEntriesOfTheScope() {
    LedgerRing ring = new LedgerRing(2048, NODE);
    long endsA = NOW + 10_000;
    long endsB = NOW + 400_000;
    ring.put(entry(0, "r0", "acme", "alice", null, null, null, endsA), NOW);            // expires before NOW
    ring.put(entry(1, "r1", "acme", "alice", null, null, null, endsB), NOW);            // usable
    ring.put(entry(1500, "r2", "acme", "bob", null, null, null, endsB + 5), NOW);       // second block
    ring.put(entry(3, "r3", "globex", "alice", null, null, null, endsB + 9), NOW);
    ring.put(entry(4, "r4", "acme", "alice", null, null, null, NOW), NOW);              // ended
    assertThat(ring.exposure("acme", null, NOW)).isEqualTo(new Exposure(2, endsB + 5 - 120_000, endsB + 5));
    assertThat(ring.exposure("acme", utf8("alice"), NOW)).isEqualTo(new Exposure(1, endsB - 120_000, endsB));
    assertThat(ring.exposure("initech", null, NOW)).isEqualTo(Exposure.NONE);
  }

  @Test
  void sweepEmptiesEndedSlotsOnly() {
    LedgerRing ring = new LedgerRing(8, NODE);
    ring.put(entry(0, "r0", "acme", "u", null, null, List.of("mirage"), NOW + 10), NOW);
    ring.put(entry(1, "r1", "acme", "u", null, null, List.of("mirage"), NOW + 20), NOW);
    assertThat(ring.held()).isEqualTo(2);
    ring.sweep(NOW + 10);
    assertThat(ring.held()).isEqualTo(1);
    assertThat(ring.get(1, NOW, "acme", null)).isNotNull();
    assertThat(ring.get(0, NOW, "acme", null)).isNull();
    ring.sweep(NOW + 20);
    assertThat(ring.held()).isZero();
    assertThat(ring.put(plain(8, "acme", "u"), NOW)).isFalse();
    assertThat(ring.get(8, NOW, "acme", null)).isEqualTo(plain(8, "acme", "u"));
  }

  @Test
  void sweepLetsGoOfABlockOnceAllItsEntriesEnded() {
    LedgerRing ring = new LedgerRing(2 * LedgerRing.BLOCK, NODE);
    for (long seq = 0; seq < 10; seq++) {
      ring.put(entry(seq, "r" + seq, "acme", "u", null, null, null, NOW + 10 + seq), NOW);
    }
    ring.put(plain(LedgerRing.BLOCK + 5, "acme", "u"), NOW);
    assertThat(ring.blocksMade()).isEqualTo(2);
    ring.sweep(NOW + 15);
    assertThat(ring.blocksMade()).as("block 0 still holds seqs 5-9").isEqualTo(2);
    ring.sweep(NOW + 19);
    assertThat(ring.blocksMade()).isEqualTo(1);
    assertThat(ring.get(LedgerRing.BLOCK + 5, NOW, "acme", null)).isNotNull();
    long again = 2L * LedgerRing.BLOCK + 3;  // slot 3 of block 0: a new block is made for it
    assertThat(ring.put(plain(again, "acme", "u"), NOW)).isFalse();
    assertThat(ring.get(again, NOW, "acme", null)).isEqualTo(plain(again, "acme", "u"));
    assertThat(ring.blocksMade()).isEqualTo(2);
  }

  /**
   * Writers over a two-block ring whose entries end 480 issuances after they are written (so a block empties
   * about when the writers come back to it), a reader, and a sweeper that keeps up: blocks are let go and made
   * again while written. No entry still live is ever lost (without the writers' count, 3 of 6 runs failed).
   */
  @Test
  void blocksLetGoWhileWrittenNeverLoseALiveEntry() throws Exception {
    int capacity = 2 * LedgerRing.BLOCK;
    long lifetime = 480;
    long total = 2_000_000;
    LedgerRing ring = new LedgerRing(capacity, NODE);
    AtomicLong next = new AtomicLong();
    AtomicLong written = new AtomicLong();
    AtomicLong dropped = new AtomicLong();
    AtomicLongArray done = new AtomicLongArray((int) total);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      threads.add(started(() -> {
        for (long seq = next.getAndIncrement(); seq < total; seq = next.getAndIncrement()) {
          ring.put(ending(seq, lifetime), seq);
          boolean missing = ring.get(seq, seq, "acme", null) == null;
          if (missing && written.get() < seq + 2 * lifetime) {  // not ended yet: written into a block let go
            failure.compareAndSet(null, new AssertionError("seq " + seq + " not there once written"));
          }
          done.set((int) seq, 1);
          written.incrementAndGet();
        }
      }));
    }
    threads.add(started(() -> {  // reads back entries written and still far from their end: they must be there
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (written.get() < total && failure.get() == null) {
        long seq = written.get() - 1 - random.nextInt((int) lifetime / 2);
        boolean missing = seq >= 0 && done.get((int) seq) == 1 && ring.get(seq, seq, "acme", null) == null;
        long after = written.get();  // the sweeper ends seq only once 2 lifetimes of issuances are written
        if (missing && after < seq + 2 * lifetime) {
          failure.set(new AssertionError("live seq " + seq + " lost at " + after));
        }
      }
    }));
    AtomicLong sweeps = new AtomicLong();
    Thread sweeper = started(() -> {
      while (written.get() < total) {
        int before = ring.blocksMade();
        ring.sweep(written.get() - lifetime);  // ends seq once 2 lifetimes of issuances are written
        dropped.addAndGet(Math.max(0, before - ring.blocksMade()));
        sweeps.incrementAndGet();
      }
    });
    for (Thread thread : threads) {
      thread.join();
    }
    sweeper.join();
    assertThat(failure.get()).isNull();
    assertThat(dropped.get()).as("blocks let go during the run (%d sweeps)", sweeps.get()).isPositive();
    for (long seq = total - lifetime / 2; seq < total; seq++) {
      assertThat(ring.get(seq, seq, "acme", null)).as("seq %d", seq).isEqualTo(ending(seq, lifetime));
    }
  }

  /** An entry that ends {@code lifetime} after {@code seq}, on a clock that counts issuances. */
  static LedgerEntry ending(long seq, long lifetime) {
    return new LedgerEntry(seq, "req-" + seq, "acme", "user-" + seq % 7, null, seq, seq + lifetime,
      seq + lifetime, null, null, null, String.format("%016x", seq), NODE);
  }

  /**
   * Four writers racing over a small ring (so slots are rewritten while read, and writers a whole ring apart
   * meet) and two readers: every entry read is exactly the one written for its seq, and at the end each slot
   * holds the newest seq that mapped to it.
   */
  @Test
  void concurrentWritersNeverTearAReadAndTheNewestEntryStays() throws Exception {
    int capacity = 64;
    long total = 400_000;
    LedgerRing ring = new LedgerRing(capacity, NODE);
    AtomicLong next = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong reads = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      threads.add(started(() -> {
        for (long seq = next.getAndIncrement(); seq < total; seq = next.getAndIncrement()) {
          ring.put(varied(seq), NOW);
        }
      }));
    }
    for (int r = 0; r < 2; r++) {
      threads.add(started(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (next.get() < total && failure.get() == null) {
          long seq = Math.max(0, next.get() - 1 - random.nextInt(capacity * 2));
          LedgerEntry read = ring.get(seq, NOW, "acme", null);
          if (read != null) {
            reads.incrementAndGet();
            if (!read.equals(varied(seq))) {
              failure.set(new AssertionError("seq " + seq + " read as " + read));
            }
          }
          ring.exposure("acme", utf8("user-3"), NOW);
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(reads.get()).isPositive();
    for (long seq = total - capacity; seq < total; seq++) {
      assertThat(ring.get(seq, NOW, "acme", null)).as("seq %d", seq).isEqualTo(varied(seq));
    }
  }

  static Thread started(Runnable body) {
    Thread thread = new Thread(body);
    thread.start();
    return thread;
  }

  /** Field lengths vary with seq, so a torn read would mix lengths and bytes of two entries. */
  static LedgerEntry varied(long seq) {
    String pad = "x".repeat((int) (seq % 23));
    return entry(seq, "req-" + seq + pad, "acme", "user-" + seq % 7, seq % 3 == 0 ? null : "sid-" + pad + seq,
      seq % 2 == 0 ? null : "lease-" + seq, seq % 5 == 0 ? TENANT_MODELS : null, NOW + 60_000 + seq);
  }
}
