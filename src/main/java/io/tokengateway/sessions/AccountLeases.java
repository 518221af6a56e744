package io.tokengateway.sessions;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Every live lease of one Decart account, and the one place admission is decided (CONTRACT §12 steps 1–3):
 * the value of one map entry, changed only by one operation at a time (a local compute, or an EntryProcessor
 * on the Hazelcast partition owner). Indexed so a grant costs O(log n) whatever the number of leases: counts per
 * tenant and per user, leases by end (ended ones are dropped as each operation passes) and grants by time.
 * Externalizable: a compact form on the wire (the leases alone; the indexes are rebuilt).
 */
public final class AccountLeases implements Externalizable {

  private static final long serialVersionUID = 1L;
  private static final Comparator<Lease> BY_END = Comparator.comparingLong(Lease::endMs).thenComparing(Lease::id);

  private final Map<String, Lease> byId = new HashMap<>();
  private final TreeSet<Lease> byEnd = new TreeSet<>(BY_END);
  private final Map<String, Integer> heldByTenant = new HashMap<>();
  private final Map<String, Integer> heldByUser = new HashMap<>();
  private final TreeMap<Long, Integer> grantedAt = new TreeMap<>();

  public AccountLeases() {}

  /** Check and take in one step: the per-user and tenant caps first, then the account's pool, then the quota. */
  Take.Verdict take(Take take) {
    prune(take.nowMs());
    String tenant = take.tenant();
    int tenantHeld = heldByTenant.getOrDefault(tenant, 0);
    if (byId.containsKey(take.leaseId())) {
      return new Take.Verdict(null, 0, tenantHeld);  // the same take replayed (a retried invocation): granted once
    }
    if (heldByUser.getOrDefault(userKey(tenant, take.user()), 0) >= take.userCap()) {
      return refuse(Refusal.USER, lease -> lease.heldBy(tenant, take.user()), tenantHeld);
    }
    if (tenantHeld >= take.tenantCap()) {
      return refuse(Refusal.TENANT, lease -> lease.tenant().equals(tenant), tenantHeld);
    }
    if (take.shared() != Take.NO_CAP && tenantHeld >= take.guaranteed(tenant) && sharedInUse(take) >= take.shared()) {
      // Any lease of a tenant above its guarantee frees a shared slot when it ends.
      return refuse(Refusal.ACCOUNT, lease -> heldByTenant.get(lease.tenant()) > take.guaranteed(lease.tenant()),
        tenantHeld);
    }
    if (take.quotaRemaining() != Take.NO_QUOTA && take.quotaRemaining() - grantedSince(take) < 1) {
      return refuse(Refusal.QUOTA, lease -> true, tenantHeld);
    }
    add(new Lease(take.leaseId(), tenant, take.user(), take.nowMs(), take.endMs(), take.endMs(), false));
    return new Take.Verdict(null, 0, tenantHeld + 1);
  }

  /** Slots of the unguaranteed part in use: what each tenant holds beyond its guarantee. */
  private int sharedInUse(Take take) {
    int inUse = 0;
    for (Map.Entry<String, Integer> held : heldByTenant.entrySet()) {
      inUse += Math.max(0, held.getValue() - take.guaranteed(held.getKey()));
    }
    return inUse;
  }

  /** Live leases granted at or after Decart's latest answer; counting stops once the answer is used up. */
  private long grantedSince(Take take) {
    long count = 0;
    for (int n : grantedAt.tailMap(take.quotaPolledAtMs(), true).values()) {
      count += n;
      if (count >= take.quotaRemaining()) {
        break;
      }
    }
    return count;
  }

  /** A refusal, with the earliest end among the leases whose end would free a slot for this caller. */
  private Take.Verdict refuse(Refusal refusal, Predicate<Lease> inTheWay, int tenantHeld) {
    for (Lease lease : byEnd) {
      if (inTheWay.test(lease)) {
        return new Take.Verdict(refusal, lease.endMs(), tenantHeld);
      }
    }
    return new Take.Verdict(refusal, Long.MAX_VALUE, tenantHeld);
  }

  /**
   * Decart's answer is in: the lease now ends at {@code expiresAt} + the session cap, or earlier when a heartbeat
   * already came (in a cluster the confirm is applied asynchronously, so a quick client beating through another
   * node may overtake it).
   */
  boolean confirm(String leaseId, long endMs) {
    Lease lease = byId.get(leaseId);
    if (lease != null) {
      replace(lease, lease.bounded(endMs));
    }
    return lease != null;
  }

  /** Only the holder's own live lease; false for an unknown, ended or foreign one alike. */
  boolean release(String leaseId, String tenant, String user, long nowMs) {
    prune(nowMs);
    Lease lease = byId.get(leaseId);
    if (lease == null || !lease.heldBy(tenant, user)) {
      return false;
    }
    remove(lease);
    return true;
  }

  boolean heartbeat(String leaseId, String tenant, String user, long nowMs, long ttlMs) {
    prune(nowMs);
    Lease lease = byId.get(leaseId);
    if (lease == null || !lease.heldBy(tenant, user)) {
      return false;
    }
    replace(lease, lease.beatAt(nowMs, ttlMs));
    return true;
  }

  /** Live leases per tenant id. */
  Map<String, Integer> leasedByTenant(long nowMs) {
    Map<String, Integer> counts = new HashMap<>();
    for (Lease lease : byEnd.tailSet(new Lease("", "", "", 0, nowMs + 1, 0, false), true)) {
      counts.merge(lease.tenant(), 1, Integer::sum);
    }
    return counts;
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  int size() {
    return byId.size();
  }

  private void prune(long nowMs) {
    while (!byEnd.isEmpty() && byEnd.first().endMs() <= nowMs) {
      remove(byEnd.first());
    }
  }

  private void add(Lease lease) {
    byId.put(lease.id(), lease);
    byEnd.add(lease);
    heldByTenant.merge(lease.tenant(), 1, Integer::sum);
    heldByUser.merge(userKey(lease.tenant(), lease.user()), 1, Integer::sum);
    grantedAt.merge(lease.grantedAtMs(), 1, Integer::sum);
  }

  private void remove(Lease lease) {
    byId.remove(lease.id());
    byEnd.remove(lease);
    heldByTenant.computeIfPresent(lease.tenant(), (k, n) -> n == 1 ? null : n - 1);
    heldByUser.computeIfPresent(userKey(lease.tenant(), lease.user()), (k, n) -> n == 1 ? null : n - 1);
    grantedAt.computeIfPresent(lease.grantedAtMs(), (k, n) -> n == 1 ? null : n - 1);
  }

  private void replace(Lease old, Lease fresh) {
    byEnd.remove(old);
    byId.put(fresh.id(), fresh);
    byEnd.add(fresh);
  }

  /** A tenant id never holds NUL (CONTRACT §4 tenant ids). */
  private static String userKey(String tenant, String user) {
    return tenant + '\0' + user;
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeInt(byId.size());
    for (Lease lease : byId.values()) {
      out.writeUTF(lease.id());
      out.writeUTF(lease.tenant());
      out.writeUTF(lease.user());
      out.writeLong(lease.grantedAtMs());
      out.writeLong(lease.endMs());
      out.writeLong(lease.boundMs());
      out.writeBoolean(lease.beating());
    }
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    int size = in.readInt();
    for (int i = 0; i < size; i++) {
      add(new Lease(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
        in.readBoolean()));
    }
  }
}
