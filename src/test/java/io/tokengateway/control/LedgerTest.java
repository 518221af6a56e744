package io.tokengateway.control;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Metrics.sample;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.MutableClock;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONTRACT §13 issuance ledger on one node: what is recorded, filters, order, limit, expiry and the bound. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class LedgerTest {

  private final MutableClock clock = new MutableClock();
  private FakeDecart decart;
  private TestGateway gateway;
  private AdminClient admin;

  private void start(Vertx vertx, int maxEntries) {
    decart = await(FakeDecart.start(vertx));
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("management").put("ledgerMaxEntries", maxEntries);
    gateway = TestGateway.start(vertx, config, TestGateway.unlimitedTenants(), TestGateway.env(), clock);
    admin = new AdminClient(vertx, gateway.managementPort());
  }

  @AfterEach
  void stop() {
    admin.close();
    gateway.close();
    await(decart.close());
  }

  private void issue(String tenant, String user, String requestId, String apiKey, Instant expiresAt) {
    decart.script(FakeDecart.Behaviour.okBody(new JsonObject().put("apiKey", apiKey).put("token", null)
      .put("expiresAt", expiresAt.toString()).put("permissions", null).put("constraints", null).encode()));
    int status = await(gateway.post("/v1/client/tokens", token(tenant, user)).putHeader("x-request-id", requestId)
      .send()).statusCode();
    assertThat(status).isEqualTo(200);
  }

  private JsonArray entries(String query) {
    JsonObject answer = admin.get("/admin/ledger?" + query);
    assertThat(answer.getJsonArray("missing")).isEmpty();
    return answer.getJsonArray("entries");
  }

  private static List<String> ids(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("requestId")).toList();
  }

  @Test
  void recordsEveryIssuedTokenWithoutItsKey(Vertx vertx) throws Exception {
    start(vertx, 1000);
    Instant expiresAt = clock.instant().plusSeconds(60);
    issue("acme", "u1", "r1", "ek_first_secret", expiresAt);
    clock.advance(Duration.ofMillis(5));
    issue("acme", "u2", "r2", "ek_second_secret", expiresAt);
    clock.advance(Duration.ofMillis(5));
    issue("globex", "u1", "r3", "ek_third_secret", expiresAt);
    clock.advance(Duration.ofMillis(5));
    issue("acme", "u1", "r4", "ek_fourth_secret", expiresAt.plusSeconds(10));

    Buffer raw = admin.send(HttpMethod.GET, "/admin/ledger?tenant=acme", null, null).body();
    assertThat(raw.toString()).doesNotContain("ek_");
    assertThat(ids(entries("tenant=acme"))).as("newest first").containsExactly("r4", "r2", "r1");
    assertThat(ids(entries("tenant=acme&user=u1"))).containsExactly("r4", "r1");
    assertThat(ids(entries("tenant=acme&limit=2"))).containsExactly("r4", "r2");
    assertThat(ids(entries("tenant=globex"))).containsExactly("r3");
    assertThat(entries("tenant=initech")).isEmpty();

    JsonObject entry = entries("tenant=acme&user=u2").getJsonObject(0);
    assertThat(entry.getString("tenant")).isEqualTo("acme");
    assertThat(entry.getString("user")).isEqualTo("u2");
    assertThat(entry.getString("sessionId")).isEqualTo("s-u2");
    assertThat(entry.getString("expiresAt")).isEqualTo(expiresAt.toString());
    assertThat(entry.getString("sessionEndsBy")).as("acme caps sessions at 600 s")
      .isEqualTo(expiresAt.plusSeconds(600).toString());
    assertThat(entry.getJsonArray("allowedModels")).containsExactly("lucy-pro-v2v", "mirage");
    assertThat(entry.getJsonArray("allowedOrigins")).containsExactly("https://app.acme.example");
    assertThat(entry.getString("leaseId")).isNull();
    assertThat(entry.getString("node")).isNotBlank();
    assertThat(entry.getString("keyHash")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
      .digest("ek_second_secret".getBytes(StandardCharsets.UTF_8))).substring(0, 16));
    assertThat(Instant.parse(entry.getString("issuedAt"))).isBefore(clock.instant());
    JsonObject globex = entries("tenant=globex").getJsonObject(0);
    assertThat(globex.getValue("allowedModels")).as("not scoped").isNull();
    assertThat(globex.getString("sessionEndsBy")).as("no cap: + 1 h").isEqualTo(expiresAt.plusSeconds(3600).toString());
  }

  @Test
  void entriesLeaveAtTheirLastSessionEnd(Vertx vertx) {
    start(vertx, 1000);
    Instant expiresAt = clock.instant().plusSeconds(60);
    issue("acme", "u1", "capped", "ek_1", expiresAt);
    issue("globex", "u1", "uncapped", "ek_2", expiresAt);
    clock.advance(Duration.ofSeconds(60 + 599));
    assertThat(ids(entries("tenant=acme"))).containsExactly("capped");
    clock.advance(Duration.ofSeconds(1));
    assertThat(entries("tenant=acme")).isEmpty();
    assertThat(ids(entries("tenant=globex"))).containsExactly("uncapped");
    clock.advance(Duration.ofSeconds(3000));
    assertThat(entries("tenant=globex")).isEmpty();
  }

  @Test
  void aFullLedgerDropsItsOldestEntriesAndCountsThem(Vertx vertx) {
    start(vertx, 3);
    Instant expiresAt = clock.instant().plusSeconds(60);
    for (int i = 1; i <= 5; i++) {
      issue("globex", "u" + i, "r" + i, "ek_" + i, expiresAt);
    }
    assertThat(ids(entries("tenant=globex"))).containsExactly("r5", "r4", "r3");
    assertThat(sample(gateway.scrape(), "token_gateway_ledger_dropped_total")).isEqualTo(2);
  }

  @Test
  void badQueriesAreRefused(Vertx vertx) {
    start(vertx, 10);
    for (String query : List.of("", "tenant=", "tenant=_x", "tenant=acme&limit=0", "tenant=acme&limit=1001",
        "tenant=acme&limit=ten", "tenant=acme&user=")) {
      assertProblem(admin.send(HttpMethod.GET, "/admin/ledger?" + query, null, null), 422, "validation_failed");
    }
    assertThat(entries("tenant=acme&limit=1000")).isEmpty();
  }
}
