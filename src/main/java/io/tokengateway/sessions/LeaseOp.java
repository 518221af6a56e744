package io.tokengateway.sessions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One operation on an account's leases, run where its entry lives, alone (a local compute or a Hazelcast
 * EntryProcessor). Deterministic in its inputs (the caller's clock is one of them), so a backup replaying it
 * comes to the same state.
 */
public interface LeaseOp<R> extends Serializable {

  R apply(AccountLeases leases);

  /** False for a read: the entry is then not rewritten (nor its backup). */
  default boolean writes() {
    return true;
  }

  record TakeOp(Take take) implements LeaseOp<Take.Verdict> {
    public Take.Verdict apply(AccountLeases leases) {
      return leases.take(take);
    }
  }

  record Confirm(String leaseId, long endMs) implements LeaseOp<Boolean> {
    public Boolean apply(AccountLeases leases) {
      return leases.confirm(leaseId, endMs);
    }
  }

  record Release(String leaseId, String tenant, String user, long nowMs) implements LeaseOp<Boolean> {
    public Boolean apply(AccountLeases leases) {
      return leases.release(leaseId, tenant, user, nowMs);
    }
  }

  record Heartbeat(String leaseId, String tenant, String user, long nowMs, long ttlMs) implements LeaseOp<Boolean> {
    public Boolean apply(AccountLeases leases) {
      return leases.heartbeat(leaseId, tenant, user, nowMs, ttlMs);
    }
  }

  /** Live leases per tenant id (read-only). */
  record Count(long nowMs) implements LeaseOp<Map<String, Integer>> {
    public Map<String, Integer> apply(AccountLeases leases) {
      return leases.leasedByTenant(nowMs);
    }

    @Override
    public boolean writes() {
      return false;
    }
  }

  /** Several operations of one account applied in order, as one atomic step; their results in the same order. */
  record Batch(List<LeaseOp<?>> ops) implements LeaseOp<List<Object>> {
    public List<Object> apply(AccountLeases leases) {
      List<Object> results = new ArrayList<>(ops.size());
      for (LeaseOp<?> op : ops) {
        results.add(op.apply(leases));
      }
      return results;
    }

    @Override
    public boolean writes() {
      for (LeaseOp<?> op : ops) {
        if (op.writes()) {
          return true;
        }
      }
      return false;
    }
  }
}
