package io.tokengateway.sessions;

import io.vertx.core.Future;

/**
 * The owner of every lease (CONTRACT §12, STYLE §18): one entry per Decart account, changed only by one
 * {@link LeaseOp} at a time, atomically. {@link LocalLeases} on one node; {@link ClusteredLeases} across a
 * Hazelcast cluster (one round trip to the entry's partition owner, backed up on another member).
 */
public interface Leases {

  <R> Future<R> apply(String account, LeaseOp<R> op);
}
