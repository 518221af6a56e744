package io.tokengateway.sessions;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;

/**
 * Cluster-wide {@link Leases} (CONTRACT §12 "Cluster"): one IMap entry per account holding all its leases, each
 * operation one EntryProcessor on the partition owner — one network round trip, exact, and replayed on a
 * synchronous backup so a member that dies loses no lease. Release and heartbeat work from any member.
 */
final class ClusteredLeases implements Leases {

  static final String MAP = "token-gateway.sessions.leases";
  /** Synchronous backups: the owner answers only once this many other members hold the change. */
  static final int BACKUPS = 1;

  private final IMap<String, AccountLeases> map;

  ClusteredLeases(HazelcastInstance hazelcast) {
    // OBJECT: the EntryProcessor works on the live AccountLeases, no (de)serialization of the entry per operation.
    hazelcast.getConfig().addMapConfig(new MapConfig(MAP).setBackupCount(BACKUPS).setAsyncBackupCount(0)
      .setInMemoryFormat(InMemoryFormat.OBJECT));
    this.map = hazelcast.getMap(MAP);
  }

  /** Through vertx-hazelcast's public accessor; never its internals. Loaded only when clustered. */
  static ClusteredLeases of(ClusterManager manager) {
    return new ClusteredLeases(((HazelcastClusterManager) manager).getHazelcastInstance());
  }

  @Override
  public <R> Future<R> apply(String account, LeaseOp<R> op) {
    Context context = Vertx.currentContext();
    var stage = map.submitToKey(account, new Processor<>(op));
    return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
  }

  /** Runs one {@link LeaseOp} on the entry; an account left without leases loses its entry. */
  static final class Processor<R> implements EntryProcessor<String, AccountLeases, R> {
    private static final long serialVersionUID = 1L;
    private final LeaseOp<R> op;

    Processor(LeaseOp<R> op) {
      this.op = op;
    }

    @Override
    public R process(Map.Entry<String, AccountLeases> entry) {
      AccountLeases leases = entry.getValue() == null ? new AccountLeases() : entry.getValue();
      R result = op.apply(leases);
      if (op.writes()) {
        entry.setValue(leases.isEmpty() ? null : leases);
      }
      return result;
    }
  }
}
