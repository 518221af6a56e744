package io.tokengateway.control;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.Gateway;
import io.tokengateway.cluster.Clustering;
import io.tokengateway.cluster.Membership;
import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.tenant.TenantDirectory;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.Ports;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONTRACT §13 on a real 3-member Hazelcast cluster in this JVM (one clustered Vert.x per node): a block
 * taken on one node holds on the others within 1 s, survives the restart of the node that took it, and the
 * ledger and exposure are cluster-wide, naming a member that does not answer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterControlTest {

  /** One gateway node: its own clustered Vert.x, and clients for its two ports. */
  private record Node(Membership membership, Gateway gateway, AdminClient admin) {
    Vertx vertx() {
      return membership.vertx();
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final List<Vertx> extras = new ArrayList<>();
  private Vertx boot;
  private FakeDecart decart;
  private WebClient client;
  private List<String> members;
  private int[] clusterPorts;

  @BeforeEach
  void start() {
    boot = Vertx.vertx();
    decart = await(FakeDecart.start(boot));
    client = WebClient.create(boot, new WebClientOptions().setKeepAlive(false));
    clusterPorts = new int[] {Ports.deadPort(), Ports.deadPort(), Ports.deadPort(), Ports.deadPort()};
    members = java.util.Arrays.stream(clusterPorts).mapToObj(p -> "127.0.0.1:" + p).toList();
  }

  @AfterEach
  void stop() {
    client.close();
    for (Node node : nodes) {
      stopNode(node);
    }
    extras.forEach(vertx -> await(vertx.close()));
    await(boot.close());
  }

  private Node startNode(int index) {
    Map<String, String> env = TestGateway.env();
    env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST);
    JsonObject raw = TestGateway.config(decart.baseUrl());
    raw.getJsonObject("management").put("adminTokenEnv", AdminClient.TOKENS_ENV);
    raw.put("cluster", cluster(index));
    GatewayConfig config = ConfigLoader.parse(raw, env);
    TenantDirectory tenants = TenantDirectory.of(TestGateway.unlimitedTenants(), io.tokengateway.tenant.KeySource.defaultOf(config.decart()));
    Membership membership = await(Clustering.start(boot, Vertx.builder(), new VertxOptions(), config.cluster()));
    Gateway gateway = await(Gateway.start(membership, config, tenants, env, GatewayMetrics.newRegistry(),
      Clock.systemUTC()));
    Node node = new Node(membership, gateway, new AdminClient(boot, gateway.managementPort()));
    nodes.add(node);
    return node;
  }

  private JsonObject cluster(int index) {
    return new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", clusterPorts[index])
      .put("members", new JsonArray(members)).put("eventBusPort", 0);
  }

  private void stopNode(Node node) {
    node.admin().close();
    await(node.gateway().stop(1).eventually(() -> node.vertx().close()));
  }

  private HttpResponse<Buffer> issue(Node node, String tenant, String user) {
    return await(client.post(node.gateway().publicPort(), "127.0.0.1", "/v1/client/tokens")
      .putHeader("authorization", "Bearer " + token(tenant, user)).send());
  }

  private void awaitMembers(int count) {
    for (Node node : nodes) {
      await().atMost(Duration.ofSeconds(60)).until(() -> node.membership().nodeIds().size() == count);
    }
  }

  @Test
  void blocksAndTheLedgerHoldClusterWide() {
    Node a = startNode(0);
    Node b = startNode(1);
    Node c = startNode(2);
    awaitMembers(3);

    assertThat(issue(b, "globex", "mallory").statusCode()).isEqualTo(200);
    assertThat(issue(c, "globex", "mallory").statusCode()).isEqualTo(200);
    assertThat(issue(c, "globex", "alice").statusCode()).isEqualTo(200);
    int calls = decart.calls();

    JsonObject answer = a.admin().block("/admin/blocks/globex/users/mallory", "{\"reason\":\"abuse\"}");
    long answered = System.nanoTime();
    assertThat(answer.getJsonObject("exposure").getLong("liveTokens")).as("tokens issued on the other nodes")
      .isEqualTo(2);
    assertThat(answer.getJsonArray("missing")).isEmpty();
    for (Node node : List.of(b, c)) {
      await().atMost(Duration.ofSeconds(1)).until(() -> node.admin().get("/admin/blocks").getJsonArray("blocks")
        .size() == 1);
    }
    System.out.println("block in force on every node " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered)
      + " ms after the answer");
    assertProblem(issue(b, "globex", "mallory"), 403, "blocked");
    assertProblem(issue(c, "globex", "mallory"), 403, "blocked");
    assertThat(decart.calls()).as("no upstream call for a blocked user").isEqualTo(calls);
    assertThat(issue(b, "globex", "alice").statusCode()).as("other users unaffected").isEqualTo(200);

    JsonObject ledger = b.admin().get("/admin/ledger?tenant=globex");
    assertThat(ledger.getJsonArray("missing")).isEmpty();
    assertThat(ledger.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("node")).distinct())
      .as("entries of two nodes, merged").hasSize(2);
    assertThat(ledger.getJsonArray("entries")).hasSize(4);

    // The node that took the block leaves abruptly, then comes back: the block is still in force everywhere.
    nodes.remove(a);
    ((io.vertx.spi.cluster.hazelcast.HazelcastClusterManager) a.membership().clusterManager()).getHazelcastInstance()
      .getLifecycleService().terminate();
    stopNode(a);
    Node again = startNode(0);
    awaitMembers(3);
    assertProblem(issue(again, "globex", "mallory"), 403, "blocked");
    assertProblem(issue(b, "globex", "mallory"), 403, "blocked");
    assertThat(again.admin().get("/admin/blocks").getJsonArray("blocks")).hasSize(1);

    assertThat(again.admin().lift("/admin/blocks/globex/users/mallory")).isEqualTo(204);
    for (Node node : nodes) {
      await().atMost(Duration.ofSeconds(1)).until(() -> node.admin().get("/admin/blocks").getJsonArray("blocks")
        .isEmpty());
    }
    assertThat(issue(c, "globex", "mallory").statusCode()).isEqualTo(200);

    JsonObject tenantBlock = c.admin().block("/admin/blocks/globex", "{\"reason\":\"unpaid\"}");
    assertThat(tenantBlock.getString("user")).isNull();
    await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertProblem(issue(again, "globex", "zed"), 403,
      "blocked"));
  }

  @Test
  void aMemberThatDoesNotAnswerIsNamedMissing() {
    Node a = startNode(0);
    Node b = startNode(1);
    // A third member whose ledger address is held by a consumer that never replies (a node too busy to answer).
    Membership silent = await(Clustering.start(boot, Vertx.builder(), new VertxOptions(),
      ConfigLoader.parse(TestGateway.config(decart.baseUrl()).put("cluster", cluster(2)), TestGateway.env()).cluster()));
    extras.add(silent.vertx());
    silent.vertx().eventBus().consumer(FleetLedger.ADDRESS_PREFIX + silent.nodeId(), message -> { });
    awaitMembers(3);
    assertThat(issue(a, "acme", "u1").statusCode()).isEqualTo(200);
    assertThat(issue(b, "acme", "u2").statusCode()).isEqualTo(200);

    long asked = System.nanoTime();
    JsonObject ledger = a.admin().get("/admin/ledger?tenant=acme");
    System.out.println("ledger answered with a silent member after "
      + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked) + " ms");
    assertThat(ledger.getJsonArray("missing")).containsExactly(silent.nodeId());
    assertThat(ledger.getJsonArray("entries")).hasSize(2);
    JsonObject blocked = a.admin().block("/admin/blocks/acme", "{\"reason\":\"r\"}");
    assertThat(blocked.getJsonArray("missing")).containsExactly(silent.nodeId());
    assertThat(blocked.getJsonObject("exposure").getLong("liveTokens")).isEqualTo(2);
  }
}
