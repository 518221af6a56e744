package io.tokengateway.sessions;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-node {@link Leases}: the same operations as the cluster's, run inside {@link ConcurrentHashMap#compute},
 * which holds only the account's bin while the operation runs (microseconds; no lock on any other account).
 */
final class LocalLeases implements Leases {

  private final ConcurrentHashMap<String, AccountLeases> accounts = new ConcurrentHashMap<>();

  @Override
  @SuppressWarnings("unchecked")
  public <R> Future<R> apply(String account, LeaseOp<R> op) {
    Object[] result = new Object[1];
    try {
      accounts.compute(account, (name, current) -> {
        AccountLeases leases = current == null ? new AccountLeases() : current;
        result[0] = op.apply(leases);
        return leases.isEmpty() ? null : leases;  // a read leaves a live entry as it is
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture((R) result[0]);
  }
}
