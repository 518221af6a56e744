package io.tokengateway.testing;

import static io.tokengateway.testing.Await.await;

import io.tokengateway.cluster.Clustering;
import io.tokengateway.cluster.Membership;
import io.tokengateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Real Hazelcast members in this JVM, joined over TCP on loopback (CONTRACT §10), each with its own clustered
 * Vert.x. Started once per test class: forming a cluster takes seconds, a gateway on it milliseconds.
 */
public final class LoopbackCluster implements AutoCloseable {

  private final Vertx boot = Vertx.vertx();
  private final List<Membership> members = new ArrayList<>();

  private LoopbackCluster() {}

  public static LoopbackCluster start(int size) {
    LoopbackCluster cluster = new LoopbackCluster();
    List<String> addresses = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(Ports.deadPort());
      addresses.add("127.0.0.1:" + ports.get(i));
    }
    List<Future<Membership>> joining = new ArrayList<>();
    for (int port : ports) {
      JsonObject config = TestGateway.config("http://127.0.0.1:1").put("cluster", new JsonObject()
        .put("enabled", true).put("port", port).put("members", new JsonArray(addresses)).put("eventBusPort", 0));
      GatewayConfig.Cluster settings = io.tokengateway.config.ConfigLoader.parse(config, TestGateway.env()).cluster();
      joining.add(Clustering.start(cluster.boot, Vertx.builder(), new VertxOptions(), settings));
    }
    for (Future<Membership> member : joining) {
      cluster.members.add(await(member));
    }
    cluster.awaitSafe();
    return cluster;
  }

  /**
   * Until a rebalance is done some partitions have no backup yet, and a member killed then takes data with it:
   * waits until every live member says the cluster is safe.
   */
  public void awaitSafe() {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> members.stream()
      .filter(member -> hazelcast(member).getLifecycleService().isRunning())
      .allMatch(member -> hazelcast(member).getPartitionService().isClusterSafe()));
  }

  private com.hazelcast.core.HazelcastInstance hazelcast(Membership member) {
    return ((HazelcastClusterManager) member.clusterManager()).getHazelcastInstance();
  }

  public Membership member(int index) {
    return members.get(index);
  }

  public int size() {
    return members.size();
  }

  /** Kills a member without a goodbye (its Hazelcast terminated): what a crashed pod looks like to the others. */
  public void kill(int index) {
    hazelcast(members.get(index)).getLifecycleService().terminate();
  }

  @Override
  public void close() {
    for (Membership member : members) {
      try {
        await(member.vertx().close());
      } catch (RuntimeException ignored) {
        // a killed member's Vert.x may fail to leave a cluster it is no longer in
      }
    }
    await(boot.close());
  }
}
