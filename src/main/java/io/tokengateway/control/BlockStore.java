package io.tokengateway.control;

import io.vertx.core.Future;

/**
 * Where the blocks taken through the admin API are kept (CONTRACT §13): this process alone
 * ({@link LocalBlockStore}), or the cluster's replicated map ({@link ClusterBlockStore}). Every change,
 * made here or on another node, reaches the {@link Blocks} snapshot the request path reads.
 */
interface BlockStore {

  /** Loads what is stored into {@code blocks} and keeps it following every later change. */
  Future<Void> start(Blocks blocks);

  Future<Void> put(Block block);

  Future<Void> remove(String key);

  Future<Void> stop();
}
