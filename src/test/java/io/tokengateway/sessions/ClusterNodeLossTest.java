package io.tokengateway.sessions;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.LoopbackCluster;
import io.tokengateway.testing.MutableClock;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONTRACT §12 "A node that dies loses no lease" and "while partitioned, each side admits within its share":
 * members of a real loopback cluster killed without a goodbye, one after the other.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterNodeLossTest {

  private static final int CAP = 9;
  private final MutableClock clock = new MutableClock();
  private final List<TestGateway> gateways = new ArrayList<>();
  private LoopbackCluster cluster;
  private Vertx plain;
  private FakeDecart decart;

  @BeforeEach
  void start() {
    plain = Vertx.vertx();
    decart = await(FakeDecart.start(plain)).respond(SessionLeaseTest.okOnClock(clock));
    cluster = LoopbackCluster.start(3);
    for (int i = 0; i < 3; i++) {
      gateways.add(TestGateway.start(cluster.member(i), TestGateway.config(decart.baseUrl()),
        SessionLeaseTest.tenants(new JsonObject().put("maxConcurrent", CAP)), clock));
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
    await(decart.close());
    await(plain.close());
  }

  @Test
  void leasesOutliveTheNodeThatTookThemAndALoneNodeKeepsToItsShare() {
    for (int i = 0; i < 3; i++) {
      assertThat(issue(2, "before-" + i)).isEqualTo(200);
    }
    cluster.kill(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.member(0).members() == 2
      && cluster.member(1).members() == 2);
    cluster.awaitSafe();
    assertThat(leased(0)).as("the dead node's leases still count").isEqualTo(3);
    assertThat(admittedUntilRefused(0, 1, "after")).isEqualTo(CAP - 3);

    clock.advance(Duration.ofHours(1));  // every lease has ended
    cluster.kill(1);  // the survivors re-backed every partition before: node 0 now holds them all
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.member(0).members() == 1);
    // Alone after having peers: partition or death look the same, so it keeps its last share (1/2 of the cap).
    assertThat(admittedUntilRefused(0, 0, "alone")).isEqualTo(CAP / 2);
  }

  private int admittedUntilRefused(int nodeA, int nodeB, String prefix) {
    int admitted = 0;
    for (int i = 0; i < 2 * CAP; i++) {
      int status = issue(i % 2 == 0 ? nodeA : nodeB, prefix + i);
      if (status != 200) {
        assertThat(status).isEqualTo(429);
        return admitted;
      }
      admitted++;
    }
    return admitted;
  }

  private int issue(int node, String user) {
    return await(gateways.get(node).post(SessionLeaseTest.TOKENS, token("globex", user)).send()).statusCode();
  }

  private int leased(int node) {
    TestGateway gateway = gateways.get(node);
    return gateway.get(gateway.managementPort(), "/admin/sessions", MultiMap.caseInsensitiveMultiMap())
      .bodyAsJsonObject().getJsonObject("tenants").getJsonObject("globex").getInteger("leased");
  }
}
