package io.tokengateway.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulator's realtime side (CONTRACT §12): quota, sessions started on minted keys, 409 when full. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SimulatedSessionsTest {

  private static final String ACCOUNT = "dct_sessions_test";
  private WebClient client;
  private DecartSimulator simulator;

  @BeforeEach
  void start(Vertx vertx) {
    client = WebClient.create(vertx);
    simulator = DecartSimulator.start(vertx, new DecartSimulator.Options("127.0.0.1", 0, Set.of(ACCOUNT), 0, 0, 2))
      .await();
  }

  @Test
  void sessionsCountAgainstTheAccountsLimitUntilTheyEnd() {
    assertThat(quota()).isEqualTo(new JsonObject().put("limit", 2).put("active", 0).put("remaining", 2));
    String first = startSession(mint("{}")).bodyAsJsonObject().getString("id");
    assertThat(startSession(mint("{}")).statusCode()).isEqualTo(201);
    assertThat(quota().getInteger("remaining")).isZero();
    HttpResponse<Buffer> full = startSession(mint("{}"));
    assertThat(full.statusCode()).isEqualTo(409);
    assertThat(full.bodyAsJsonObject().getString("detail")).contains("1013");
    assertThat(client.deleteAbs(simulator.baseUrl() + DecartSimulator.SESSIONS_PATH + "/" + first).send().await()
      .statusCode()).isEqualTo(204);
    assertThat(quota().getInteger("active")).isEqualTo(1);
    assertThat(client.deleteAbs(simulator.baseUrl() + DecartSimulator.SESSIONS_PATH + "/" + first).send().await()
      .statusCode()).isEqualTo(404);
  }

  @Test
  void unknownOrExpiredClientKeysStartNothing() {
    assertThat(startSession("ek_never_minted").statusCode()).isEqualTo(401);
    String shortLived = mint("{\"expiresIn\":1}");
    await().atMost(Duration.ofSeconds(5)).until(() -> startSession(shortLived).statusCode() == 401);
    assertThat(client.getAbs(simulator.baseUrl() + DecartSimulator.QUOTA_PATH).putHeader("x-api-key", "dct_other")
      .send().await().statusCode()).isEqualTo(401);
  }

  @Test
  void aSessionEndsAtItsTokensCap() {
    startSession(mint("{\"constraints\":{\"realtime\":{\"maxSessionDuration\":10}}}"));
    assertThat(quota().getInteger("active")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> quota().getInteger("active") == 0);
  }

  @Test
  void theSessionLimitIsAFlag() {
    assertThat(DecartSimulator.Options.fromArgs("--session-limit", "4").sessionLimit()).isEqualTo(4);
    assertThat(DecartSimulator.Options.fromArgs().sessionLimit()).isEqualTo(DecartSimulator.DEFAULT_SESSION_LIMIT);
  }

  private String mint(String body) {
    return client.postAbs(simulator.baseUrl() + io.tokengateway.decart.DecartRules.TOKEN_PATH).putHeader("x-api-key", ACCOUNT)
      .sendBuffer(Buffer.buffer(body)).await().bodyAsJsonObject().getString("apiKey");
  }

  private HttpResponse<Buffer> startSession(String clientKey) {
    return client.postAbs(simulator.baseUrl() + DecartSimulator.SESSIONS_PATH)
      .sendJsonObject(new JsonObject().put("apiKey", clientKey)).await();
  }

  private JsonObject quota() {
    return client.getAbs(simulator.baseUrl() + DecartSimulator.QUOTA_PATH).putHeader("x-api-key", ACCOUNT).send()
      .await().bodyAsJsonObject();
  }
}
