package io.tokengateway.stats;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Metrics.sample;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.FakeDecart.Behaviour;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §7 and §9: mixed outcomes for two tenants, then the event-bus message, /admin/issuance
 * and /metrics must all agree with what was sent, number for number.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class IssuanceCountsTest {

  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;
  private final LinkedBlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();
  private MessageConsumer<JsonObject> consumer;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
    JsonObject config = TestGateway.config(decart.baseUrl()).put("stats", new JsonObject().put("publishIntervalMs", 100));
    config.getJsonObject("decart").put("retry", new JsonObject().put("backoffInitialMs", 1).put("backoffMaxMs", 2));
    gateway = TestGateway.start(vertx, config, TestGateway.tenants(), TestGateway.env());
    consumer = vertx.eventBus().consumer(StatsVerticle.COUNTS_ADDRESS, message -> published.add(message.body()));
    await(consumer.completion());
  }

  @AfterEach
  void stop() {
    await(consumer.unregister());
    gateway.close();
    await(decart.close());
  }

  @Test
  void theMessageTheAdminViewAndTheMetricsAgree() throws Exception {
    gateway.issue(token("globex", "g1"), "{}");
    gateway.issue(token("globex", "g2"), "{}");
    gateway.issue(token("globex", "g1"), "{\"expiresIn\":0}");                 // 422: denied
    gateway.issue(token("acme", "a1"), "{}");
    gateway.issue(token("acme", "a1"), "{\"allowedModels\":[\"other\"]}");     // 403: denied
    decart.respond(Behaviour.status(500, "{}"));
    gateway.issue(token("acme", "a2"), "{}");                                  // 502: failed
    gateway.issue("not.a.token", "{}");                                       // 401: no tenant
    gateway.issue(token("initech", "i1"), "{}");                               // 403 unknown tenant

    // Each event loop sends its outcomes on its own turn: the last request's may reach a later message.
    awaitTotals("_unknown", 0, 1, 0);
    JsonObject message = awaitTotals("acme", 1, 1, 1);
    assertThat(message.getString("node")).isNotBlank();
    assertThat(message.getInteger("intervalMs")).isEqualTo(100);
    assertThat(message.getString("at")).isNotBlank();
    assertCounts(message.getJsonObject("tenants").getJsonObject("globex"), 2, 1, 0);
    assertCounts(message.getJsonObject("tenants").getJsonObject("acme"), 1, 1, 1);
    assertThat(message.getJsonObject("tenants").getJsonObject("_unknown").getLong("deniedTotal")).isEqualTo(1);
    assertThat(message.getJsonObject("tenants").fieldNames()).containsExactlyInAnyOrder("globex", "acme", "_unknown");

    JsonObject admin = gateway.get(gateway.managementPort(), "/admin/issuance", MultiMap.caseInsensitiveMultiMap())
      .bodyAsJsonObject();
    assertThat(admin.getInteger("nodes")).isEqualTo(1);
    assertThat(admin.getJsonObject("tenants").getJsonObject("globex"))
      .isEqualTo(new JsonObject().put("issued", 2).put("denied", 1).put("failed", 0));
    assertThat(admin.getJsonObject("tenants").getJsonObject("acme"))
      .isEqualTo(new JsonObject().put("issued", 1).put("denied", 1).put("failed", 1));

    String scrape = gateway.get(gateway.managementPort(), "/metrics", MultiMap.caseInsensitiveMultiMap()).bodyAsString();
    assertThat(sample(scrape, "token_gateway_requests_total", "tenant=globex", "outcome=issued")).isEqualTo(2);
    assertThat(sample(scrape, "token_gateway_requests_total", "tenant=globex", "outcome=denied")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_requests_total", "tenant=acme", "outcome=failed")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_denials_total", "tenant=globex", "reason=validation_failed")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_denials_total", "tenant=acme", "reason=model_not_allowed")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_auth_failures_total", "reason=malformed")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_upstream_retries_total")).isEqualTo(2);
    assertThat(sample(scrape, "token_gateway_upstream_duration_seconds_count", "outcome=issued")).isEqualTo(3);
    assertThat(sample(scrape, "token_gateway_upstream_duration_seconds_count", "outcome=failed")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_circuit_state")).isEqualTo(0);
    assertThat(scrape).contains("token_gateway_upstream_duration_seconds_bucket").contains("token_gateway_log_lines_dropped_total");
    assertThat(scrape).doesNotContain("tenant=\"initech\"");
  }

  @Test
  void anInvalidTokenCountsAsAnAuthFailureOnly() throws Exception {
    String forged = TestGateway.token("globex", "g1");
    forged = forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA" + forged.substring(forged.lastIndexOf('.') + 5);
    gateway.issue(forged, "{}");
    gateway.issue(null, "{}");
    gateway.issue(token("globex", "g1"), "{}");
    JsonObject message = awaitTotals("globex", 1, 0, 0);
    assertThat(message.getJsonObject("tenants").fieldNames()).containsExactly("globex");
    String scrape = gateway.get(gateway.managementPort(), "/metrics", MultiMap.caseInsensitiveMultiMap()).bodyAsString();
    assertThat(sample(scrape, "token_gateway_auth_failures_total", "reason=signature")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_auth_failures_total", "reason=missing_token")).isEqualTo(1);
    assertThat(sample(scrape, "token_gateway_requests_total", "tenant=globex", "outcome=denied")).isZero();
  }

  private JsonObject awaitTotals(String tenant, long issued, long denied, long failed) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject message = published.poll(1, TimeUnit.SECONDS);
      JsonObject counts = message == null ? null : message.getJsonObject("tenants").getJsonObject(tenant);
      if (counts != null && counts.getLong("issuedTotal") == issued && counts.getLong("deniedTotal") == denied
        && counts.getLong("failedTotal") == failed) {
        return message;
      }
    }
    throw new AssertionError("no counts message with the expected totals for " + tenant);
  }

  private static void assertCounts(JsonObject counts, long issued, long denied, long failed) {
    assertThat(counts.getLong("issuedTotal")).isEqualTo(issued);
    assertThat(counts.getLong("deniedTotal")).isEqualTo(denied);
    assertThat(counts.getLong("failedTotal")).isEqualTo(failed);
    assertThat(counts.fieldNames()).containsExactly("issued", "denied", "failed", "issuedTotal", "deniedTotal",
      "failedTotal");
  }
}
