package io.tokengateway.sessions;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.MutableClock;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.tokengateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §12 step 3: tenants sharing one Decart account (the default key) — guarantees, their proportional
 * scaling, the unguaranteed part shared first come, Decart's {@code remaining} as a second bound, and a quota
 * poll that fails and recovers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AccountPoolTest {

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private final MutableClock clock = new MutableClock();
  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = fixture.decart(vertx).respond(SessionLeaseTest.okOnClock(clock));
  }

  /** Tenants on the default account, each {@code maxConcurrent: 10} and its own guarantee. */
  private static JsonObject tenants(int guaranteedA, int guaranteedB) {
    JsonObject sessions = new JsonObject().put("maxConcurrent", 10);
    return new JsonObject().put("unknownTenants", "reject")
      .put("defaults", new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 0).put("perUserPerMinute", 0)))
      .put("tenants", new JsonObject()
        .put("a", new JsonObject().put("sessions", sessions.copy().put("guaranteed", guaranteedA)))
        .put("b", new JsonObject().put("sessions", sessions.copy().put("guaranteed", guaranteedB))));
  }

  private void start(JsonObject sessions, JsonObject tenants) {
    JsonObject config = TestGateway.config(decart.baseUrl()).put("sessions", sessions);
    gateway = fixture.gateway(vertx, config, tenants, clock);
  }

  @Test
  void aTenantBelowItsGuaranteeGetsInWhileAnotherHoldsEveryUnguaranteedSlot() {
    start(new JsonObject().put("accountLimit", 5).put("reserve", 1).put("quotaPollSeconds", 0), tenants(2, 0));
    assertThat(issue("b").statusCode()).isEqualTo(200);
    assertThat(issue("b").statusCode()).isEqualTo(200);  // the 2 unguaranteed slots (pool 4 − 2 guaranteed)
    HttpResponse<Buffer> full = assertStatus(issue("b"), 503);
    assertProblem(full, 503, "capacity_exhausted");
    assertThat(full.getHeader("retry-after")).isNotNull();
    assertThat(issue("a").statusCode()).isEqualTo(200);
    assertThat(issue("a").statusCode()).isEqualTo(200);
    assertProblem(issue("a"), 503, "capacity_exhausted");
    assertThat(Metrics.sample(gateway.scrape(), "token_gateway_session_refusals_total", "tenant=b",
      "reason=account")).isEqualTo(1);
    assertThat(decart.calls()).isEqualTo(4);
  }

  @Test
  void guaranteesBeyondThePoolShrinkInProportion() {
    start(new JsonObject().put("accountLimit", 4).put("quotaPollSeconds", 0), tenants(6, 2));
    // Σ guaranteed 8 > pool 4: a keeps 3, b keeps 1, nothing is shared.
    for (int i = 0; i < 3; i++) {
      assertThat(issue("a").statusCode()).isEqualTo(200);
    }
    assertProblem(issue("a"), 503, "capacity_exhausted");
    assertThat(issue("b").statusCode()).isEqualTo(200);
    assertProblem(issue("b"), 503, "capacity_exhausted");
  }

  @Test
  void decartsRemainingBoundsTheAccountUntilTheNextPoll() {
    decart.respondQuota(FakeDecart.quota(20, 17, 3));
    start(new JsonObject().put("quotaPollSeconds", 1), tenants(0, 0));
    awaitQuota("remaining", 3);
    assertThat(issue("a").statusCode()).isEqualTo(200);
    assertThat(issue("b").statusCode()).isEqualTo(200);
    assertThat(issue("a").statusCode()).isEqualTo(200);
    assertProblem(issue("b"), 503, "capacity_exhausted");
    assertThat(Metrics.sample(gateway.scrape(), "token_gateway_session_refusals_total", "tenant=b",
      "reason=quota")).isEqualTo(1);
    // The next poll sees room again (other consumers ended sessions): leases granted before it no longer count.
    clock.advance(Duration.ofSeconds(1));
    decart.respondQuota(FakeDecart.quota(20, 10, 10));
    awaitQuota("remaining", 10);
    assertThat(issue("b").statusCode()).isEqualTo(200);
  }

  @Test
  void aFailingQuotaPollKeepsTheLastAnswerAndRecovers() {
    decart.respondQuota(FakeDecart.quota(3, 0, 3));
    start(new JsonObject().put("quotaPollSeconds", 1), tenants(0, 0));
    awaitQuota("limit", 3);
    decart.respondQuota(FakeDecart.Behaviour.status(500, "{}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> quotaHealth().containsKey("error"));
    HttpResponse<Buffer> ready = gateway.get(gateway.managementPort(), "/health/ready", MultiMap.caseInsensitiveMultiMap());
    assertThat(ready.statusCode()).as("a failing quota poll never makes the pod unready").isEqualTo(200);
    assertThat(quotaHealth().getInteger("limit")).isEqualTo(3);
    assertThat(quotaHealth().getLong("ageSeconds")).isNotNull();
    for (int i = 0; i < 3; i++) {
      assertThat(issue("a").statusCode()).isEqualTo(200);
    }
    assertProblem(issue("a"), 503, "capacity_exhausted");  // the last good limit still holds
    clock.advance(Duration.ofSeconds(1));
    decart.respondQuota(FakeDecart.quota(5, 3, 2));
    await().atMost(Duration.ofSeconds(10)).until(() -> !quotaHealth().containsKey("error")
      && quotaHealth().getInteger("limit") == 5);
    assertThat(issue("a").statusCode()).isEqualTo(200);
    assertThat(issue("b").statusCode()).isEqualTo(200);
    assertProblem(issue("b"), 503, "capacity_exhausted");
    assertThat(Metrics.sample(gateway.scrape(), "token_gateway_decart_quota", "account=DECART_API_KEY",
      "field=limit")).isEqualTo(5);
  }

  @Test
  void anAccountNeverPolledAndWithoutALimitAdmitsOnTheTenantCapsAlone() {
    start(new JsonObject().put("quotaPollSeconds", 1), tenants(0, 0));  // the quota endpoint answers 404
    await().atMost(Duration.ofSeconds(10)).until(() -> quotaHealth().containsKey("error"));
    for (int i = 0; i < 10; i++) {
      assertThat(issue("a").statusCode()).isEqualTo(200);
    }
    assertProblem(issue("a"), 429, "session_limit");
  }

  private void awaitQuota(String field, int value) {
    await().atMost(Duration.ofSeconds(10)).until(() -> value == quotaHealth().getInteger(field, -1));
  }

  private JsonObject quotaHealth() {
    JsonObject body = gateway.get(gateway.managementPort(), "/health/ready", MultiMap.caseInsensitiveMultiMap())
      .bodyAsJsonObject();
    return body.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(check -> "sessions".equals(check.getString("id"))).findFirst().orElseThrow()
      .getJsonObject("data").getJsonObject("quota").getJsonObject("DECART_API_KEY", new JsonObject());
  }

  private HttpResponse<Buffer> issue(String tenant) {
    return await(gateway.post(SessionLeaseTest.TOKENS, token(tenant, "user-" + System.nanoTime())).send());
  }

  private static HttpResponse<Buffer> assertStatus(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response;
  }
}
