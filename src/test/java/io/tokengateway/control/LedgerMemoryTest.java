package io.tokengateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.auth.Caller;
import io.tokengateway.policy.PolicyEnforcer;
import io.tokengateway.policy.TokenRequest;
import io.tokengateway.policy.UpstreamBody;
import io.tokengateway.tenant.Tenant;
import io.tokengateway.tenant.TenantDirectory;
import io.tokengateway.testing.TestGateway;
import io.tokengateway.upstream.MintedToken;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ledger's heap per entry, for sizing {@code management.ledgerMaxEntries}: printed, never asserted
 * (a GC'd heap is not a precise scale). Entries as the request path makes them: a 32-hex request id, a
 * session claim, a scoped acme token.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedgerMemoryTest {

  static final int ENTRIES = 100_000;

  @Test
  void printsTheHeapPerEntry() {
    Tenant acme = TenantDirectory.of(TestGateway.tenants(), io.tokengateway.tenant.KeySource.defaultOf(io.tokengateway.config.ConfigLoader.parse(TestGateway.config("http://127.0.0.1:1"), TestGateway.env()).decart())).resolve("acme");
    Ledger ledger = new Ledger(ENTRIES, Clock.systemUTC(), UUID.randomUUID().toString(), new Audit());
    long now = System.currentTimeMillis();
    String expiresAt = java.time.Instant.ofEpochMilli(now + 60_000).toString();
    long before = usedHeap();
    for (int i = 0; i < ENTRIES; i++) {
      Caller caller = new Caller("acme", "user-" + (100_000 + i), "sid-" + (100_000 + i), now / 1000 + 3600);
      UpstreamBody sent = PolicyEnforcer.apply(TokenRequest.parse(Buffer.buffer()), acme, caller, null);
      MintedToken token = new MintedToken(Buffer.buffer(), "ek_" + UUID.randomUUID(), expiresAt);
      ledger.store(ledger.entry(UUID.randomUUID().toString().replace("-", ""), caller, acme, sent, token, null, now), now);
    }
    long perEntry = (usedHeap() - before) / ENTRIES;
    System.out.printf("ledger: %d bytes per entry (%d entries; slots are made 1,024 at a time as they are first written)%n", perEntry, ENTRIES);
    assertThat(ledger.entries("acme", null, 1)).hasSize(1);
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
