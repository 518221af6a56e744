package io.tokengateway.control;

import io.vertx.core.Future;

/** A single node's blocks: the in-memory snapshot is the store. */
final class LocalBlockStore implements BlockStore {

  private Blocks blocks;

  @Override
  public Future<Void> start(Blocks blocks) {
    this.blocks = blocks;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> put(Block block) {
    blocks.applied(block);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String key) {
    blocks.removed(key);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
