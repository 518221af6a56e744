package io.tokengateway;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.JarProcess;
import io.tokengateway.testing.Ports;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT §10 on real jars clustered over TCP on loopback: fleet-wide counts, a fleet-wide tenant
 * limit re-divided when a member dies, and a node whose peers are unreachable serving alone.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterIT {

  private static final int PER_SECOND = 30;
  private static final int BURST = 30;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<JarProcess> processes = new ArrayList<>();
  private Vertx vertx;
  private FakeDecart decart;
  private Path dir;

  /** A started node: its ports. */
  private record Node(JarProcess process, int publicPort, int managementPort) {}

  @BeforeEach
  void start(@TempDir Path dir) {
    this.dir = dir;
    vertx = Vertx.vertx();
    decart = await(FakeDecart.start(vertx));
  }

  @AfterEach
  void stop() throws Exception {
    for (JarProcess process : processes) {
      process.close();
    }
    await(vertx.close());
  }

  @Test
  void aFleetSharesCountsAndLimitsAndSurvivesALostMember() throws Exception {
    String tenants = "tenants:\n  globex:\n    rateLimit: {perSecond: " + PER_SECOND + ", burst: " + BURST
      + ", perUserPerMinute: 0}\n";
    int[] clusterPorts = {Ports.deadPort(), Ports.deadPort(), Ports.deadPort()};
    List<String> members = List.of("127.0.0.1:" + clusterPorts[0], "127.0.0.1:" + clusterPorts[1],
      "127.0.0.1:" + clusterPorts[2]);
    List<JarProcess> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      started.add(launch("node" + i, tenants, clusterPorts[i], members));
    }
    List<Node> nodes = new ArrayList<>();
    for (JarProcess process : started) {
      nodes.add(awaitListening(process));
    }
    for (Node node : nodes) {
      awaitTrue(() -> admin(node).getInteger("nodes") == 3, 30_000);
    }
    // The SSE stream of one node carries every node's counts: its subscriber's local consumer is fed by the
    // node's one consumer of the cluster-wide address.
    List<String> streamed = new java.util.concurrent.CopyOnWriteArrayList<>();
    http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.get(0).managementPort()
      + "/admin/issuance/stream")).build(), HttpResponse.BodyHandlers.ofLines())
      .thenAccept(response -> response.body().forEach(streamed::add));
    awaitTrue(() -> streamed.stream().filter(line -> line.startsWith("data: "))
      .map(line -> new JsonObject(line.substring("data: ".length())).getString("node")).distinct().count() == 3, 15_000);

    for (int i = 0; i < 9; i++) {
      assertThat(issue(nodes.get(i % 3), "warmup-" + i)).isEqualTo(200);
    }
    for (Node node : nodes) {
      awaitTrue(() -> issued(admin(node)) == 9, 10_000);
    }

    Thread.sleep(2000);  // let the buckets refill after the warm-up: real time, in other processes
    int issued = spread(nodes, 5_000, "even");
    System.out.println("3 nodes, perSecond " + PER_SECOND + " burst " + BURST + ", 5 s: issued " + issued);
    assertThat(issued).isBetween((int) (0.8 * (5 * PER_SECOND)), (int) (1.2 * (5 * PER_SECOND + BURST)));

    nodes.get(2).process().close();  // SIGKILL
    List<Node> survivors = nodes.subList(0, 2);
    long killed = System.nanoTime();
    for (Node node : survivors) {
      awaitTrue(() -> admin(node).getInteger("nodes") == 2, 15_000);
    }
    System.out.println("member loss seen by both survivors after "
      + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed) + " ms");
    Thread.sleep(2000);
    int afterLoss = spread(survivors, 5_000, "after");
    System.out.println("2 nodes, 5 s: issued " + afterLoss);
    assertThat(afterLoss).isBetween((int) (0.8 * (5 * PER_SECOND)), (int) (1.2 * (5 * PER_SECOND + BURST)));
    assertThat(issued(admin(survivors.get(0)))).as("the lost node's issuance stays counted")
      .isGreaterThanOrEqualTo(9 + issued);
  }

  @Test
  void aNodeWhosePeersAreUnreachableServesAlone() throws Exception {
    String tenants = "tenants:\n  globex: {}\n";
    int own = Ports.deadPort();
    Node node = awaitListening(launch("lonely", tenants, own,
      List.of("127.0.0.1:" + own, "127.0.0.1:" + Ports.deadPort())));
    assertThat(issue(node, "u1")).isEqualTo(200);
    assertThat(node.process().output()).contains("serving alone");
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort()
      + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"alone\":true").contains("\"members\":1");
  }

  private JarProcess launch(String name, String tenants, int clusterPort, List<String> members) throws Exception {
    Path conf = JarProcess.config(dir, name, decart.baseUrl(), tenants, "stats: {publishIntervalMs: 200}",
      "cluster: {enabled: true, host: 127.0.0.1, port: " + clusterPort + ", eventBusPort: " + Ports.deadPort()
        + ", members: ["
        + String.join(", ", members.stream().map(m -> "\"" + m + "\"").toList()) + "]}");
    JarProcess process = JarProcess.start(TestGateway.env(), "--conf", conf.toString());
    processes.add(process);
    return process;
  }

  private Node awaitListening(JarProcess process) throws Exception {
    JarProcess.Listening ports = process.awaitListening(60_000);
    return new Node(process, ports.publicPort(), ports.managementPort());
  }

  private int issue(Node node, String user) throws Exception {
    return http.send(request(node, user), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpRequest request(Node node, String user) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.publicPort() + "/v1/client/tokens"))
      .header("Authorization", "Bearer " + TestGateway.token("globex", user))
      .POST(HttpRequest.BodyPublishers.noBody()).build();
  }

  /** About 120 requests a second, round-robin over {@code nodes}, for {@code millis}; returns how many got a token. */
  private int spread(List<Node> nodes, long millis, String prefix) throws Exception {
    List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
    long end = System.currentTimeMillis() + millis;
    for (int i = 0; System.currentTimeMillis() < end; i++) {
      answers.add(http.sendAsync(request(nodes.get(i % nodes.size()), prefix + i), HttpResponse.BodyHandlers.discarding()));
      Thread.sleep(8);
    }
    int issued = 0;
    for (CompletableFuture<HttpResponse<Void>> answer : answers) {
      issued += answer.get(30, TimeUnit.SECONDS).statusCode() == 200 ? 1 : 0;
    }
    return issued;
  }

  private JsonObject admin(Node node) {
    try {
      return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort()
        + "/admin/issuance")).build(), HttpResponse.BodyHandlers.ofString()).body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long issued(JsonObject admin) {
    JsonObject globex = admin.getJsonObject("tenants").getJsonObject("globex");
    return globex == null ? 0 : globex.getLong("issued");
  }

  private static void awaitTrue(BooleanSupplier condition, long timeoutMs) {
    eventually().atMost(Duration.ofMillis(timeoutMs)).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
  }
}
