package io.tokengateway.control;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's blocks (CONTRACT §13): a Hazelcast map (one synchronous backup by default, so it
 * survives the loss or restart of any one node), values as JSON strings, each entry's TTL set to its
 * {@code until}. An entry listener feeds every node's snapshot, so the request path never makes a remote
 * call; the node taking a block also applies it at once, without waiting for its own event.
 */
final class ClusterBlockStore implements BlockStore {

  static final String MAP = "token-gateway.blocks";

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final Clock clock;
  private UUID listener;
  private Blocks blocks;

  ClusterBlockStore(Vertx vertx, HazelcastInstance hazelcast, Clock clock) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(MAP);
    this.clock = clock;
  }

  /** The listener first, then the load: a change made in between is seen twice (harmless), never missed. */
  @Override
  public Future<Void> start(Blocks blocks) {
    this.blocks = blocks;
    return vertx.executeBlocking(() -> {
      listener = map.addEntryListener(new Follower(), true);
      List<String> stored = new ArrayList<>(map.values());
      stored.forEach(json -> blocks.applied(Block.fromJson(new JsonObject(json))));
      return null;
    });
  }

  @Override
  public Future<Void> put(Block block) {
    long ttlMillis = Math.max(1, block.until().toEpochMilli() - clock.millis());
    return Future.fromCompletionStage(map.setAsync(block.key(), block.toJson().encode(), ttlMillis,
      TimeUnit.MILLISECONDS), vertx.getOrCreateContext()).map(v -> {
        blocks.applied(block);
        return null;
      });
  }

  @Override
  public Future<Void> remove(String key) {
    return Future.fromCompletionStage(map.removeAsync(key), vertx.getOrCreateContext()).map(v -> {
      blocks.removed(key);
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    UUID id = listener;
    return id == null ? Future.succeededFuture() : vertx.executeBlocking(() -> map.removeEntryListener(id))
      .<Void>mapEmpty().recover(e -> Future.succeededFuture());  // the cluster may already be gone
  }

  /** Runs on Hazelcast's event threads; the snapshot swap it makes is the only shared write. */
  private final class Follower implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String>, EntryEvictedListener<String, String>,
      EntryExpiredListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      blocks.applied(Block.fromJson(new JsonObject(event.getValue())));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      blocks.removed(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      blocks.removed(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      blocks.removed(event.getKey());
    }
  }
}
