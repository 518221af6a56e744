package io.tokengateway.sessions;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.cluster.Membership;
import io.tokengateway.dev.DecartSimulator;
import io.tokengateway.testing.MutableClock;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §12's second bound against the simulator: sessions that other consumers of the organization hold
 * at Decart leave the gateway only Decart's {@code remaining}, and their end gives the room back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SimulatorQuotaTest {

  /**
   * The clock stands still, so every lease counts as "granted since the latest poll" whichever poll that is: the
   * leases' tokens start no session here, and Decart's {@code remaining} never sees them.
   */
  @Test
  void decartsRemainingBoundsAdmissionWhileOthersHoldSessions(Vertx vertx) {
    DecartSimulator simulator = await(DecartSimulator.start(vertx,
      new DecartSimulator.Options("127.0.0.1", 0, java.util.Set.of(), 0, 0, 3)));
    WebClient client = WebClient.create(vertx);
    String other = startOtherConsumersSession(client, simulator);
    startOtherConsumersSession(client, simulator);
    JsonObject config = TestGateway.config(simulator.baseUrl()).put("sessions", new JsonObject().put("quotaPollSeconds", 1));
    TestGateway gateway = TestGateway.start(Membership.single(vertx), config,
      SessionLeaseTest.tenants(new JsonObject().put("maxConcurrent", 10)), new MutableClock());
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get(gateway.managementPort(), "/admin/sessions",
        io.vertx.core.MultiMap.caseInsensitiveMultiMap()).bodyAsJsonObject().getJsonObject("accounts")
        .getJsonObject("DECART_API_KEY_GLOBEX").getValue("remaining") != null);
      assertThat(issue(gateway).statusCode()).isEqualTo(200);  // limit 3, two held by others: 1 left
      assertProblem(issue(gateway), 503, "capacity_exhausted");
      await(client.deleteAbs(simulator.baseUrl() + DecartSimulator.SESSIONS_PATH + "/" + other).send());
      await().atMost(Duration.ofSeconds(10)).until(() -> issue(gateway).statusCode() == 200);
    } finally {
      gateway.close();
    }
  }

  private static HttpResponse<Buffer> issue(TestGateway gateway) {
    return await(gateway.post(SessionLeaseTest.TOKENS, token("globex", "u-" + System.nanoTime())).send());
  }

  private static String startOtherConsumersSession(WebClient client, DecartSimulator simulator) {
    String clientKey = await(client.postAbs(simulator.baseUrl() + io.tokengateway.decart.DecartRules.TOKEN_PATH)
      .putHeader("x-api-key", TestGateway.GLOBEX_KEY).send()).bodyAsJsonObject().getString("apiKey");
    HttpResponse<Buffer> started = await(client.postAbs(simulator.baseUrl() + DecartSimulator.SESSIONS_PATH)
      .sendJsonObject(new JsonObject().put("apiKey", clientKey)));
    assertThat(started.statusCode()).isEqualTo(201);
    return started.bodyAsJsonObject().getString("id");
  }
}
