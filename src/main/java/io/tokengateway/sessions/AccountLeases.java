package io.tokengateway.sessions;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every live lease of one Decart account, and the one place admission is decided (CONTRACT §12 steps 1–3):
 * the value of one map entry, changed only by one operation at a time (a local compute, or an EntryProcessor
 * on the Hazelcast partition owner). Ended leases are dropped as each operation passes. Externalizable: a
 * compact form on the wire and in the backup (no class descriptors per lease).
 */
public final class AccountLeases implements Externalizable {

  private static final long serialVersionUID = 1L;
  private final List<Lease> leases = new ArrayList<>();

  public AccountLeases() {}

  /** Check and take in one step; the per-user and tenant caps first, then the account's pool, then the quota. */
  Take.Verdict take(Take take) {
    prune(take.nowMs());
    long userFrees = Long.MAX_VALUE;
    long tenantFrees = Long.MAX_VALUE;
    int userHeld = 0;
    Map<String, Integer> held = new HashMap<>();
    for (Lease lease : leases) {
      held.merge(lease.tenant(), 1, Integer::sum);
      if (lease.tenant().equals(take.tenant())) {
        tenantFrees = Math.min(tenantFrees, lease.endMs());
        if (lease.user().equals(take.user())) {
          userHeld++;
          userFrees = Math.min(userFrees, lease.endMs());
        }
      }
    }
    int tenantHeld = held.getOrDefault(take.tenant(), 0);
    if (userHeld >= take.userCap()) {
      return new Take.Verdict(Refusal.USER, userFrees, tenantHeld);
    }
    if (tenantHeld >= take.tenantCap()) {
      return new Take.Verdict(Refusal.TENANT, tenantFrees, tenantHeld);
    }
    Refusal account = accountRefusal(take, held, tenantHeld);
    if (account != null) {
      return new Take.Verdict(account, earliestFreeing(take, held, account), tenantHeld);
    }
    leases.add(new Lease(take.leaseId(), take.tenant(), take.user(), take.nowMs(), take.endMs(), take.endMs()));
    return new Take.Verdict(null, 0, tenantHeld + 1);
  }

  /** A tenant below its guarantee always has a slot; above it, it shares the unguaranteed part, first come. */
  private Refusal accountRefusal(Take take, Map<String, Integer> held, int tenantHeld) {
    if (take.shared() != Take.NO_CAP && tenantHeld >= take.guaranteed(take.tenant())) {
      int sharedInUse = 0;
      for (Map.Entry<String, Integer> tenant : held.entrySet()) {
        sharedInUse += Math.max(0, tenant.getValue() - take.guaranteed(tenant.getKey()));
      }
      if (sharedInUse >= take.shared()) {
        return Refusal.ACCOUNT;
      }
    }
    if (take.quotaRemaining() != Take.NO_QUOTA) {
      long grantedSincePoll = leases.stream().filter(l -> l.grantedAtMs() >= take.quotaPolledAtMs()).count();
      if (take.quotaRemaining() - grantedSincePoll < 1) {
        return Refusal.QUOTA;
      }
    }
    return null;
  }

  /** The earliest end among the leases whose end would free a slot for this tenant. */
  private long earliestFreeing(Take take, Map<String, Integer> held, Refusal refusal) {
    long earliest = Long.MAX_VALUE;
    for (Lease lease : leases) {
      boolean inShared = held.get(lease.tenant()) > take.guaranteed(lease.tenant());
      if (refusal == Refusal.QUOTA || inShared) {
        earliest = Math.min(earliest, lease.endMs());
      }
    }
    return earliest;
  }

  /** Decart's answer is in: the lease now ends at {@code expiresAt} + the session cap. */
  boolean confirm(String leaseId, long endMs) {
    for (int i = 0; i < leases.size(); i++) {
      if (leases.get(i).id().equals(leaseId)) {
        leases.set(i, leases.get(i).endingAt(endMs, endMs));
        return true;
      }
    }
    return false;
  }

  /** Only the holder's own live lease; false for an unknown, ended or foreign one alike. */
  boolean release(String leaseId, String tenant, String user, long nowMs) {
    prune(nowMs);
    return leases.removeIf(lease -> lease.id().equals(leaseId) && lease.heldBy(tenant, user));
  }

  boolean heartbeat(String leaseId, String tenant, String user, long nowMs, long ttlMs) {
    prune(nowMs);
    for (int i = 0; i < leases.size(); i++) {
      Lease lease = leases.get(i);
      if (lease.id().equals(leaseId) && lease.heldBy(tenant, user)) {
        leases.set(i, lease.endingAt(Math.min(lease.boundMs(), nowMs + ttlMs), lease.boundMs()));
        return true;
      }
    }
    return false;
  }

  /** Live leases per tenant id. */
  Map<String, Integer> leasedByTenant(long nowMs) {
    Map<String, Integer> counts = new HashMap<>();
    for (Lease lease : leases) {
      if (lease.endMs() > nowMs) {
        counts.merge(lease.tenant(), 1, Integer::sum);
      }
    }
    return counts;
  }

  boolean isEmpty() {
    return leases.isEmpty();
  }

  int size() {
    return leases.size();
  }

  private void prune(long nowMs) {
    leases.removeIf(lease -> lease.endMs() <= nowMs);
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeInt(leases.size());
    for (Lease lease : leases) {
      out.writeUTF(lease.id());
      out.writeUTF(lease.tenant());
      out.writeUTF(lease.user());
      out.writeLong(lease.grantedAtMs());
      out.writeLong(lease.endMs());
      out.writeLong(lease.boundMs());
    }
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    int size = in.readInt();
    for (int i = 0; i < size; i++) {
      leases.add(new Lease(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong()));
    }
  }
}
