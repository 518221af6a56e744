package io.tokengateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admission rules of CONTRACT §12 on one account's leases, in memory: order, bounds, Retry-After facts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccountLeasesTest {

  private static final long NOW = 1_000_000;
  private final AccountLeases leases = new AccountLeases();
  private int ids;

  private Take take(String tenant, String user, int userCap, int tenantCap, Map<String, Integer> guarantees,
                    int shared, int remaining, long polledAt, long endMs) {
    return new Take("lease-" + ids++, tenant, user, NOW, endMs, userCap, tenantCap, guarantees, shared, remaining,
      polledAt);
  }

  private Take.Verdict plain(String tenant, String user, int tenantCap, long endMs) {
    return leases.take(take(tenant, user, Take.NO_CAP, tenantCap, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, endMs));
  }

  @Test
  void theUserCapIsCheckedBeforeTheTenantCap() {
    leases.take(take("t", "u", 1, 1, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 5_000));
    Take.Verdict verdict = leases.take(take("t", "u", 1, 1, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 9_000));
    assertThat(verdict.refusal()).isEqualTo(Refusal.USER);
    assertThat(verdict.freesAtMs()).isEqualTo(NOW + 5_000);
    assertThat(plain("t", "other", 1, NOW).refusal()).isEqualTo(Refusal.TENANT);
  }

  @Test
  void retryAfterComesFromTheEarliestLeaseInTheWay() {
    plain("t", "a", 3, NOW + 30_000);
    plain("t", "b", 3, NOW + 10_000);
    plain("t", "c", 3, NOW + 20_000);
    assertThat(plain("t", "d", 3, NOW + 1).freesAtMs()).isEqualTo(NOW + 10_000);
  }

  @Test
  void endedLeasesNoLongerCount() {
    plain("t", "a", 1, NOW - 1);
    assertThat(plain("t", "b", 1, NOW + 1).granted()).isTrue();
  }

  @Test
  void theUnguaranteedPartIsSharedFirstComeAndGuaranteesStayFree() {
    Map<String, Integer> guarantees = Map.of("a", 2);
    for (int i = 0; i < 2; i++) {
      assertThat(leases.take(take("b", "u" + i, Take.NO_CAP, 10, guarantees, 2, Take.NO_QUOTA, 0, NOW + 1)).granted())
        .isTrue();
    }
    assertThat(leases.take(take("b", "x", Take.NO_CAP, 10, guarantees, 2, Take.NO_QUOTA, 0, NOW + 1)).refusal())
      .isEqualTo(Refusal.ACCOUNT);
    assertThat(leases.take(take("a", "x", Take.NO_CAP, 10, guarantees, 2, Take.NO_QUOTA, 0, NOW + 1)).granted())
      .isTrue();
  }

  @Test
  void remainingCountsOnlyLeasesGrantedSinceThePoll() {
    plain("t", "before", 10, NOW + 60_000);  // granted at NOW, before a poll at NOW + 1
    Take.Verdict first = leases.take(new Take("x1", "t", "u", NOW + 2, NOW + 60_000, Take.NO_CAP, 10, Map.of(),
      Take.NO_CAP, 1, NOW + 1));
    Take.Verdict second = leases.take(new Take("x2", "t", "u", NOW + 3, NOW + 60_000, Take.NO_CAP, 10, Map.of(),
      Take.NO_CAP, 1, NOW + 1));
    assertThat(first.granted()).isTrue();
    assertThat(second.refusal()).isEqualTo(Refusal.QUOTA);
  }

  @Test
  void aReplayedTakeIsGrantedOnce() {
    Take take = take("t", "u", Take.NO_CAP, 5, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 1_000);
    assertThat(leases.take(take).granted()).isTrue();
    assertThat(leases.take(take).granted()).isTrue();
    assertThat(leases.size()).isEqualTo(1);
    assertThat(leases.leasedByTenant(NOW)).isEqualTo(Map.of("t", 1));
  }

  @Test
  void heartbeatNeverPassesTheBoundAndOnlyTheHolderMayTouchALease() {
    Take take = take("t", "u", Take.NO_CAP, 5, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 100_000);
    leases.take(take);
    leases.confirm(take.leaseId(), NOW + 50_000);
    assertThat(leases.heartbeat(take.leaseId(), "t", "other", NOW, 30_000)).isFalse();
    assertThat(leases.heartbeat(take.leaseId(), "t", "u", NOW + 40_000, 30_000)).isTrue();
    assertThat(leases.leasedByTenant(NOW + 49_999)).containsEntry("t", 1);
    assertThat(leases.leasedByTenant(NOW + 50_000)).isEmpty();
    assertThat(leases.release(take.leaseId(), "other-tenant", "u", NOW)).isFalse();
    assertThat(leases.release(take.leaseId(), "t", "u", NOW)).isTrue();
    assertThat(leases.isEmpty()).isTrue();
  }

  @Test
  void aHeartbeatThatOvertakesTheConfirmKeepsItsEarlierEnd() {
    // The token is relayed before the confirm runs: a quick client may beat first. The confirm must not undo it.
    Take take = take("t", "u", Take.NO_CAP, 5, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 200_000);
    leases.take(take);
    assertThat(leases.heartbeat(take.leaseId(), "t", "u", NOW, 10_000)).isTrue();
    leases.confirm(take.leaseId(), NOW + 120_000);
    assertThat(leases.leasedByTenant(NOW + 9_999)).containsEntry("t", 1);
    assertThat(leases.leasedByTenant(NOW + 10_000)).isEmpty();
  }

  @Test
  void aConfirmedBoundCutsAnEarlierHeartbeatsEnd() {
    Take take = take("t", "u", Take.NO_CAP, 5, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 200_000);
    leases.take(take);
    leases.heartbeat(take.leaseId(), "t", "u", NOW, 100_000);
    leases.confirm(take.leaseId(), NOW + 60_000);
    assertThat(leases.leasedByTenant(NOW + 59_999)).containsEntry("t", 1);
    assertThat(leases.leasedByTenant(NOW + 60_000)).isEmpty();
  }

  @Test
  void theWireFormCarriesEveryLeaseAndRebuildsTheCounts() throws Exception {
    for (int i = 0; i < 5; i++) {
      plain("t" + (i % 2), "u" + i, 10, NOW + 1_000 * (i + 1));
    }
    Take beating = take("t2", "b", Take.NO_CAP, 5, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 200_000);
    leases.take(beating);
    leases.heartbeat(beating.leaseId(), "t2", "b", NOW, 10_000);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(leases);
    }
    AccountLeases copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (AccountLeases) in.readObject();
    }
    assertThat(copy.leasedByTenant(NOW)).isEqualTo(leases.leasedByTenant(NOW)).isEqualTo(Map.of("t0", 3, "t1", 2, "t2", 1));
    copy.confirm(beating.leaseId(), NOW + 120_000);  // the copy still knows the lease was beating
    assertThat(copy.leasedByTenant(NOW + 10_000)).doesNotContainKey("t2");
    assertThat(copy.take(take("t0", "u0", 1, 10, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0, NOW + 1)).refusal())
      .isEqualTo(Refusal.USER);
  }

  /** A figure for the README, never asserted: heap per live lease with realistic ids (measured with GC noise). */
  @Test
  void memoryPerLease() {
    int count = 100_000;
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    long before = runtime.totalMemory() - runtime.freeMemory();
    AccountLeases many = new AccountLeases();
    for (int i = 0; i < count; i++) {
      many.take(new Take(LeaseIds.next(), "tenant-" + (i % 20), "user-" + i + "-0123456789abcdef",
        NOW, NOW + 600_000 + i, Take.NO_CAP, Integer.MAX_VALUE - 1, Map.of(), Take.NO_CAP, Take.NO_QUOTA, 0));
    }
    System.gc();
    long after = runtime.totalMemory() - runtime.freeMemory();
    System.out.printf("sessions: ~%d bytes of heap per live lease (%d leases)%n", (after - before) / count, count);
    assertThat(many.size()).isEqualTo(count);
  }
}
