package io.tokengateway.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.function.DoubleConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * This node's place in the fleet (CONTRACT §10): its id, how many members are live, and its share
 * of each tenant's rate limit (1/members). Polled once a second from the cluster manager's view, so
 * no request ever waits on a cluster operation. A node that finds itself alone after having had
 * peers keeps its last share: it cannot tell a partition from the others' death, and a partitioned
 * node serving the whole limit would let the fleet exceed it.
 */
public final class Membership {

  static final long POLL_MS = 1000;
  private static final Logger LOG = LogManager.getLogger(Membership.class);

  private final Vertx vertx;
  private final ClusterManager manager;
  private final String nodeId;
  private final boolean expectsPeers;
  private volatile int members = 1;
  private volatile double share = 1.0;
  private volatile boolean alone;
  private boolean lostPeers;

  private Membership(Vertx vertx, ClusterManager manager, String nodeId, boolean expectsPeers) {
    this.vertx = vertx;
    this.manager = manager;
    this.nodeId = nodeId;
    this.expectsPeers = expectsPeers;
  }

  public static Membership single(Vertx vertx) {
    return new Membership(vertx, null, UUID.randomUUID().toString(), false);
  }

  static Membership clustered(Vertx vertx, ClusterManager manager, boolean expectsPeers) {
    return new Membership(vertx, manager, manager.getNodeId(), expectsPeers);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Starts watching the member list; {@code onShare} hears every change of this node's share. */
  public void watch(DoubleConsumer onShare) {
    if (manager == null) {
      return;
    }
    update(onShare);
    vertx.setPeriodic(POLL_MS, id -> update(onShare));
  }

  private void update(DoubleConsumer onShare) {
    int now = Math.max(1, manager.getNodes().size());
    int before = members;
    members = now;
    if (now != before) {
      LOG.info("cluster: " + now + " member(s) live");
    }
    if (now == 1 && before > 1) {
      lostPeers = true;
      LOG.warn("cluster: no other member reachable; keeping this node's share (" + share
        + ") of each rate limit until peers return");
    }
    boolean wasAlone = alone;
    alone = now == 1 && (expectsPeers || lostPeers);
    if (alone && !wasAlone && !lostPeers) {
      LOG.warn("cluster: no other member reachable; serving alone");
    }
    if (now > 1) {
      lostPeers = false;
    }
    double fresh = 1.0 / now;
    if (!lostPeers && fresh != share) {
      share = fresh;
      onShare.accept(fresh);
    }
  }

  public String nodeId() {
    return nodeId;
  }

  /** Whether {@code node} is in the cluster now (single-node: this node only). Asks the cluster manager's local view. */
  public boolean isMember(String node) {
    return manager == null ? nodeId.equals(node) : manager.getNodes().contains(node);
  }

  public int members() {
    return members;
  }

  /** The cluster manager (Hazelcast) when clustered, else null: for state that must be cluster-wide. */
  public ClusterManager clusterManager() {
    return manager;
  }

  /**
   * This side's part of a fleet-wide cap (CONTRACT §12 "while partitioned"): members × share, so 1 while the
   * cluster is whole and 1/N for a node that lost its N-1 peers (the §10 division rule).
   */
  public double sideShare() {
    return Math.min(1.0, members * share);
  }

  public boolean clustered() {
    return manager != null;
  }

  /** The ids of the live members as this node sees them, itself included. */
  public List<String> nodeIds() {
    return manager == null ? List.of(nodeId) : List.copyOf(manager.getNodes());
  }

  /** For {@code /health/ready}'s body: reported, never failing readiness. */
  public JsonObject health() {
    return new JsonObject().put("clustered", clustered()).put("node", nodeId).put("members", members)
      .put("share", share).put("alone", alone);
  }
}
