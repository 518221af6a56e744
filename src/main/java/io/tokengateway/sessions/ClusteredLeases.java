package io.tokengateway.sessions;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Cluster-wide {@link Leases} (CONTRACT §12 "Cluster"): one IMap entry per account holding all its leases, each
 * operation one EntryProcessor on the partition owner — one network round trip, exact, and replayed on a
 * synchronous backup so a member that dies loses no lease. Release and heartbeat work from any member. The
 * operations a node has for one account while a round trip is out leave together ({@link GroupCommit}).
 *
 * <p>Each answer is taken from Hazelcast's thread onto one Vert.x event loop, with an executor named here:
 * Hazelcast runs a future's plain callbacks ({@code thenApply}, {@code whenComplete}) on its default async
 * executor, which is {@code ForkJoinPool.commonPool()} or, where the common pool has no parallelism (2 CPUs or
 * fewer, e.g. a pod limited to 2 CPUs), a new thread per callback; and it refuses remote calls from its own
 * response threads, where the next batch would otherwise leave from. Measured (bench/README.md "Round 7"): a
 * thread started and ended per batch had cost a loaded node on 2 CPUs ~14 µs of CPU per request (64 -> 50, 59 -> 45).
 */
final class ClusteredLeases implements Leases {

  static final String MAP = "token-gateway.sessions.leases";
  /** Synchronous backups: the owner answers only once this many other members hold the change. */
  static final int BACKUPS = 1;

  private final IMap<String, AccountLeases> map;
  private final GroupCommit commits = new GroupCommit(this::send);
  private final Executor answers;

  /** {@code answersLoop}: the event loop each batch's answer is handed to, which hands each caller its own. */
  ClusteredLeases(HazelcastInstance hazelcast, Context answersLoop) {
    // OBJECT: the EntryProcessor works on the live AccountLeases, no (de)serialization of the entry per operation.
    hazelcast.getConfig().addMapConfig(new MapConfig(MAP).setBackupCount(BACKUPS).setAsyncBackupCount(0)
      .setInMemoryFormat(InMemoryFormat.OBJECT));
    this.map = hazelcast.getMap(MAP);
    this.answers = task -> answersLoop.runOnContext(v -> task.run());
  }

  /** Through vertx-hazelcast's public accessor; never its internals. Loaded only when clustered. */
  static ClusteredLeases of(ClusterManager manager, Context answersLoop) {
    return new ClusteredLeases(((HazelcastClusterManager) manager).getHazelcastInstance(), answersLoop);
  }

  @Override
  public <R> Future<R> apply(String account, LeaseOp<R> op) {
    return commits.submit(account, op, Vertx.currentContext());
  }

  @Override
  public <R> Future<R> applyDetached(String account, LeaseOp<R> op) {
    return commits.submit(account, op, null);
  }

  private CompletionStage<List<Object>> send(String account, LeaseOp.Batch batch) {
    // A plain CompletableFuture: on a Hazelcast one, GroupCommit's whenComplete would take the default executor again.
    CompletableFuture<List<Object>> values = new CompletableFuture<>();
    map.submitToKey(account, new Processor(batch)).whenCompleteAsync((results, failure) -> {
      if (failure != null) {
        values.completeExceptionally(failure);
      } else {
        values.complete(results.values());
      }
    }, answers);
    return values;
  }

  /**
   * Runs one batch of {@link LeaseOp}s on the entry (and again on its backup); an account left without leases
   * loses its entry. DataSerializable in {@link LeaseWire}'s compact form, never Java serialization.
   */
  public static final class Processor implements EntryProcessor<String, AccountLeases, Results>, DataSerializable {
    private static final long serialVersionUID = 1L;
    private LeaseOp.Batch batch;

    public Processor() {}  // for Hazelcast, which reads the rest with readData

    Processor(LeaseOp.Batch batch) {
      this.batch = batch;
    }

    @Override
    public Results process(Map.Entry<String, AccountLeases> entry) {
      AccountLeases leases = entry.getValue() == null ? new AccountLeases() : entry.getValue();
      Results results = new Results(batch.apply(leases));
      if (batch.writes()) {
        entry.setValue(leases.isEmpty() ? null : leases);
      }
      return results;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      LeaseWire.writeOps(out, batch.ops());
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      batch = new LeaseOp.Batch(LeaseWire.readOps(in));
    }
  }

  /** A batch's results, in its order. */
  public static final class Results implements DataSerializable {
    private List<Object> values;

    public Results() {}  // for Hazelcast

    Results(List<Object> values) {
      this.values = values;
    }

    List<Object> values() {
      return values;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      LeaseWire.writeResults(out, values);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      values = LeaseWire.readResults(in);
    }
  }
}
