package io.tokengateway.cluster;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.stats.IssuanceView;
import io.tokengateway.stats.StatsVerticle;
import io.tokengateway.testing.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT §10 {@code cluster.tls}: three real Hazelcast members whose event bus speaks TLS with client
 * certificates of one CA share their counts; a fourth node with a certificate of another CA joins
 * Hazelcast (its membership protocol has no TLS in the open-source edition) but can neither send
 * counts to the others nor receive theirs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterTlsTest {

  private static final long PUBLISH_MS = 200;

  private final List<Vertx> started = new ArrayList<>();
  private Vertx boot;

  /** One node: its membership and what its /admin/issuance would say. */
  private record Node(Membership membership, IssuanceView issuance) {}

  @BeforeEach
  void start() {
    boot = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    for (Vertx vertx : started) {
      await(vertx.close());
    }
    await(boot.close());
  }

  @Test
  void membersOfOneCaShareCountsAndANodeOfAnotherCaCannotJoinThem(@TempDir Path dir) throws Exception {
    TestCa clusterCa = TestCa.create(dir, "cluster");
    TestCa otherCa = TestCa.create(dir, "other");
    int[] ports = {Ports.deadPort(), Ports.deadPort(), Ports.deadPort(), Ports.deadPort()};
    List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1], "127.0.0.1:" + ports[2],
      "127.0.0.1:" + ports[3]);
    List<Future<Node>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      starting.add(node(ports[i], members, clusterCa.issue("node" + i), i + 1));
    }
    starting.add(node(ports[3], members, otherCa.issue("rogue"), 100));
    List<Node> nodes = new ArrayList<>();
    for (Future<Node> node : starting) {
      nodes.add(await(node));
    }
    List<Node> peers = nodes.subList(0, 3);
    Node rogue = nodes.get(3);

    for (Node peer : peers) {
      await().atMost(Duration.ofSeconds(60)).until(() -> issued(peer) == 1 + 2 + 3);
    }
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> peers.stream()
      .allMatch(peer -> issued(peer) == 6) && issued(rogue) == 100);
    assertThat(rogue.membership().members()).as("the rogue is a Hazelcast member, just not an event-bus peer")
      .isEqualTo(4);
  }

  @Test
  void anUnreadableTlsFileIsAConfigErrorNamingItsKey(@TempDir Path dir) throws Exception {
    TestCa.NodeFiles files = TestCa.create(dir, "cluster").issue("node");
    GatewayConfig.Cluster cluster = new GatewayConfig.Cluster(true, "127.0.0.1", Ports.deadPort(), List.of(), null,
      Ports.deadPort(), new GatewayConfig.ClusterTls(files.certFile().toString(), dir.resolve("missing.pem").toString(),
      files.trustFile().toString()));
    Throwable failure = failure(Clustering.start(boot, Vertx.builder(), new VertxOptions(), cluster));
    assertThat(failure).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) failure).key()).isEqualTo("cluster.tls.keyFile");
  }

  /** A clustered node that publishes a §9 counts message for tenant acme every 200 ms, with {@code issuedTotal}. */
  private Future<Node> node(int port, List<String> members, TestCa.NodeFiles tls, long issuedTotal) {
    GatewayConfig.Cluster cluster = new GatewayConfig.Cluster(true, "127.0.0.1", port, members, null,
      Ports.deadPort(), new GatewayConfig.ClusterTls(tls.certFile().toString(), tls.keyFile().toString(),
      tls.trustFile().toString()));
    return Clustering.start(boot, Vertx.builder(), new VertxOptions(), cluster).compose(membership -> {
      Vertx vertx = membership.vertx();
      started.add(vertx);
      membership.watch(share -> { });
      IssuanceView issuance = new IssuanceView(membership::members, new PeerCounts(membership)::admit);
      vertx.setPeriodic(PUBLISH_MS, id -> vertx.eventBus().publish(StatsVerticle.COUNTS_ADDRESS,
        counts(membership.nodeId(), issuedTotal)));
      return issuance.start(vertx).map(v -> new Node(membership, issuance));
    });
  }

  private static JsonObject counts(String node, long issuedTotal) {
    JsonObject acme = new JsonObject().put("issued", 0).put("denied", 0).put("failed", 0)
      .put("issuedTotal", issuedTotal).put("deniedTotal", 0).put("failedTotal", 0);
    return new JsonObject().put("node", node).put("at", "2026-11-28T00:00:00Z").put("intervalMs", PUBLISH_MS)
      .put("tenants", new JsonObject().put("acme", acme));
  }

  private static long issued(Node node) {
    JsonObject acme = node.issuance().snapshot().getJsonObject("tenants").getJsonObject("acme");
    return acme == null ? 0 : acme.getLong("issued");
  }
}
