package io.tokengateway.sessions;

import io.vertx.core.Future;

/**
 * The owner of every lease (CONTRACT §12, STYLE §18): one entry per Decart account, changed only by one
 * {@link LeaseOp} at a time, atomically. {@link LocalLeases} on one node; {@link ClusteredLeases} across a
 * Hazelcast cluster (one round trip to the entry's partition owner, backed up on another member).
 */
public interface Leases {

  /** The result on the caller's context (or on the completing thread when called outside Vert.x). */
  <R> Future<R> apply(String account, LeaseOp<R> op);

  /**
   * The same operation for a caller that only logs a failure: its future may complete on any thread, which
   * spares a clustered operation the hand-off back to the caller's event loop.
   */
  default <R> Future<R> applyDetached(String account, LeaseOp<R> op) {
    return apply(account, op);
  }
}
