package io.tokengateway.sessions;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.LoopbackCluster;
import io.tokengateway.testing.MutableClock;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONTRACT §12 "Cluster" on three real Hazelcast members on loopback: never more leases than a cap across all
 * nodes, and a lease taken on one node heart-beaten and released on another. The members are shared by the
 * tests; each test starts its own gateways on them and the lease map is emptied after it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusteredLeasesTest {

  private static LoopbackCluster cluster;
  private static Vertx plain;
  private static FakeDecart decart;
  private final MutableClock clock = new MutableClock();
  private final List<TestGateway> gateways = new ArrayList<>();

  @BeforeAll
  static void formCluster() {
    plain = Vertx.vertx();
    decart = await(FakeDecart.start(plain));
    cluster = LoopbackCluster.start(3);
  }

  @AfterAll
  static void leave() {
    cluster.close();
    await(decart.close());
    await(plain.close());
  }

  @AfterEach
  void stopGateways() {
    gateways.forEach(TestGateway::close);
    ((HazelcastClusterManager) cluster.member(0).clusterManager()).getHazelcastInstance()
      .getMap(ClusteredLeases.MAP).clear();
    decart.reset();
  }

  private void startGateways(JsonObject sessions) {
    decart.respond(SessionLeaseTest.okOnClock(clock));
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("decart").put("timeoutMs", 15_000).put("deadlineMs", 20_000);
    for (int i = 0; i < cluster.size(); i++) {
      gateways.add(TestGateway.start(cluster.member(i), config, SessionLeaseTest.tenants(sessions), clock));
    }
  }

  @Test
  void aThousandRequestsOverThreeNodesGetExactlyTheCap() {
    startGateways(new JsonObject().put("maxConcurrent", 10));
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add(gateways.get(i % 3).post(SessionLeaseTest.TOKENS, token("globex", "user-" + i)).send());
    }
    await(Future.join(sent));
    Set<String> leases = new HashSet<>();
    int limited = 0;
    for (Future<HttpResponse<Buffer>> future : sent) {
      HttpResponse<Buffer> response = future.result();
      if (response.statusCode() == 200) {
        leases.add(response.getHeader("Session-Lease"));
      } else {
        assertProblem(response, 429, "session_limit");
        limited++;
      }
    }
    assertThat(leases).hasSize(10);
    assertThat(limited).isEqualTo(990);
    assertThat(decart.calls()).isEqualTo(10);
  }

  @Test
  void aLeaseTakenOnOneNodeIsHeartBeatenAndReleasedOnAnother() {
    startGateways(new JsonObject().put("maxConcurrent", 1).put("perUserMaxConcurrent", 1));
    String lease = issue(0, "alice").getHeader("Session-Lease");
    assertProblem(issue(1, "bob"), 429, "session_limit");
    assertThat(call(2, "heartbeat", "alice", lease).statusCode()).isEqualTo(204);
    assertProblem(call(1, "release", "bob", lease), 404, "lease_not_found");
    assertThat(call(1, "release", "alice", lease).statusCode()).isEqualTo(204);
    assertThat(issue(2, "bob").statusCode()).isEqualTo(200);
    assertProblem(call(0, "heartbeat", "alice", lease), 404, "lease_not_found");
  }

  @Test
  void expiryFollowsTheClockOnEveryNode() {
    startGateways(new JsonObject().put("maxConcurrent", 1).put("defaultSessionSeconds", 10));
    assertThat(issue(0, "alice").statusCode()).isEqualTo(200);
    assertProblem(issue(1, "bob"), 429, "session_limit");
    clock.advance(Duration.ofSeconds(71));  // expiresAt (60 s) + the 10 s cap
    assertThat(issue(2, "bob").statusCode()).isEqualTo(200);
  }

  @Test
  void adminSessionsCountsTheWholeCluster() {
    startGateways(new JsonObject().put("maxConcurrent", 5));
    for (int i = 0; i < 3; i++) {
      assertThat(issue(i, "u" + i).statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonObject admin = gateways.get(1).get(gateways.get(1).managementPort(), "/admin/sessions",
        io.vertx.core.MultiMap.caseInsensitiveMultiMap()).bodyAsJsonObject();
      assertThat(admin.getJsonObject("tenants").getJsonObject("globex").getInteger("leased")).isEqualTo(3);
    });
  }

  /**
   * Batches that waited for a round trip leave from a Vert.x event loop, never from the Hazelcast thread that
   * delivered the previous answer (Hazelcast refuses remote calls there), and every answer, even one nobody
   * asked to receive on a context, is handed over on the event loop named for it rather than on a thread of
   * Hazelcast's default executor (a new thread per answer on 2 CPUs or fewer).
   */
  @Test
  void answersArriveOnTheNamedEventLoopAndTheBatchesThatWaitedLeaveFromIt() {
    Context answers = cluster.member(0).vertx().getOrCreateContext();
    ClusteredLeases leases = ClusteredLeases.of(cluster.member(0).clusterManager(), answers);
    Promise<List<Future<Boolean>>> submitted = Promise.promise();
    answers.runOnContext(v -> {  // all asked within one task there, so none is answered before it is watched
      List<Future<Boolean>> onAnswers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {  // the first leaves at once, the rest wait for it and leave in batches
        Take take = new Take("lease-" + i, "t", "u" + i, 0, 60_000, Take.NO_CAP, Take.NO_CAP, Map.of(),
          Take.NO_CAP, Take.NO_QUOTA, 0);
        onAnswers.add(leases.applyDetached("acct", new LeaseOp.TakeOp(take))
          .map(verdict -> verdict.granted() && Vertx.currentContext() == answers));
      }
      submitted.complete(onAnswers);
    });
    assertThat(await(Future.all(await(submitted.future()))).<Boolean>list()).hasSize(50).containsOnly(true);
    assertThat(await(leases.applyDetached("acct", new LeaseOp.Count(1))).get("t")).isEqualTo(50);
  }

  private HttpResponse<Buffer> issue(int node, String user) {
    return await(gateways.get(node).post(SessionLeaseTest.TOKENS, token("globex", user)).send());
  }

  private HttpResponse<Buffer> call(int node, String what, String user, String lease) {
    TestGateway gateway = gateways.get(node);
    return await("heartbeat".equals(what)
      ? gateway.post("/v1/sessions/" + lease + "/heartbeat", token("globex", user)).send()
      : gateway.delete("/v1/sessions/" + lease, token("globex", user)).send());
  }
}
