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
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.tokengateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §12 on one node, through real HTTP: leases taken before Decart and given back on every outcome that
 * relays no token, the session cap always stamped, heartbeat and release, and tenants without admission as before.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class SessionLeaseTest {

  static final String TOKENS = "/v1/client/tokens";
  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private final MutableClock clock = new MutableClock();
  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = fixture.decart(vertx).respond(okOnClock(clock));
  }

  /** Decart's 200 with {@code expiresAt} 60 s after the stepping clock's now (Decart's clock and ours agree). */
  static FakeDecart.Behaviour okOnClock(MutableClock clock) {
    return exchange -> exchange.send(200, new JsonObject().put("apiKey", "ek_" + java.util.UUID.randomUUID())
      .put("expiresAt", clock.instant().plusSeconds(60).toString()).encode(), java.util.Map.of());
  }

  /** globex with admission {@code sessions}, no rate limits (many requests per user). */
  static JsonObject tenants(JsonObject sessions) {
    return TestGateway.unlimitedTenants().put("tenants", TestGateway.tenants().getJsonObject("tenants").copy()
      .put("globex", new JsonObject().put("apiKeyEnv", "DECART_API_KEY_GLOBEX").put("sessions", sessions)));
  }

  private TestGateway start(JsonObject tenants) {
    return start(TestGateway.config(decart.baseUrl()), tenants);
  }

  private TestGateway start(JsonObject config, JsonObject tenants) {
    gateway = fixture.gateway(vertx, config, tenants, clock);
    return gateway;
  }

  @Test
  void aThousandConcurrentRequestsGetExactlyTheCap() {
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("decart").put("timeoutMs", 15_000).put("deadlineMs", 20_000);
    start(config, tenants(new JsonObject().put("maxConcurrent", 10)));
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add(gateway.post(TOKENS, token("globex", "user-" + i)).send());
    }
    await(Future.join(sent));
    Set<String> leases = new HashSet<>();
    int ok = 0;
    int limited = 0;
    for (Future<HttpResponse<Buffer>> future : sent) {
      HttpResponse<Buffer> response = future.result();
      if (response.statusCode() == 200) {
        ok++;
        leases.add(response.getHeader("Session-Lease"));
      } else {
        assertProblem(response, 429, "session_limit");
        assertThat(Integer.parseInt(response.getHeader("retry-after"))).isBetween(1, 300);
        limited++;
      }
    }
    assertThat(ok).isEqualTo(10);
    assertThat(leases).hasSize(10).allMatch(id -> id.matches("[A-Za-z0-9_-]{22,}"));
    assertThat(limited).isEqualTo(990);
    assertThat(decart.calls()).isEqualTo(10);
    assertThat(Metrics.sample(gateway.scrape(), "token_gateway_session_refusals_total", "tenant=globex",
      "reason=tenant")).isEqualTo(990);
  }

  @Test
  void perUserCapComesBeforeTheTenantCap() {
    start(tenants(new JsonObject().put("maxConcurrent", 3).put("perUserMaxConcurrent", 2)));
    assertThat(issue("alice").statusCode()).isEqualTo(200);
    assertThat(issue("alice").statusCode()).isEqualTo(200);
    assertProblem(issue("alice"), 429, "session_limit");
    assertThat(issue("bob").statusCode()).isEqualTo(200);
    assertProblem(issue("bob"), 429, "session_limit");
    String scrape = gateway.scrape();
    assertThat(Metrics.sample(scrape, "token_gateway_session_refusals_total", "tenant=globex", "reason=user"))
      .isEqualTo(1);
    assertThat(Metrics.sample(scrape, "token_gateway_session_refusals_total", "tenant=globex", "reason=tenant"))
      .isEqualTo(1);
    assertThat(Metrics.sample(scrape, "token_gateway_session_take_seconds_count")).isEqualTo(5);  // each check-and-take
    assertThat(decart.calls()).isEqualTo(3);
  }

  @Test
  void theSessionCapIsAlwaysStampedAndTheLeaseEndsAfterIt() {
    start(tenants(new JsonObject().put("maxConcurrent", 1).put("defaultSessionSeconds", 45)));
    HttpResponse<Buffer> first = issue("alice");
    assertThat(decart.last().json().getJsonObject("constraints").getJsonObject("realtime")
      .getInteger("maxSessionDuration")).isEqualTo(45);
    // FakeDecart's tokens expire 60 s after minting: the lease holds until then + 45 s, and not a moment longer.
    clock.advance(Duration.ofSeconds(100));
    assertProblem(issue("bob"), 429, "session_limit");
    clock.advance(Duration.ofSeconds(10));
    assertThat(issue("bob").statusCode()).isEqualTo(200);
    assertThat(first.getHeader("Session-Lease")).isNotNull();
    HttpResponse<Buffer> own = gateway.issue(TOKENS, token("globex", "carol"),
      "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":20}}}");
    assertProblem(own, 429, "session_limit");
    assertThat(decart.calls()).isEqualTo(2);
  }

  @Test
  void theCallersOwnCapWithinPolicyIsStamped() {
    start(tenants(new JsonObject().put("maxConcurrent", 5)));
    gateway.issue(TOKENS, token("globex", "carol"), "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":20}}}");
    assertThat(decart.last().json().getJsonObject("constraints").getJsonObject("realtime")
      .getInteger("maxSessionDuration")).isEqualTo(20);
  }

  @Test
  void aLeaseIsGivenBackOnEveryAnswerThatRelaysNoToken() {
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("decart").put("timeoutMs", 2_000).put("deadlineMs", 3_000)
      .put("retry", new JsonObject().put("maxRetries", 0));
    start(config, tenants(new JsonObject().put("maxConcurrent", 1)));
    decart.script(FakeDecart.Behaviour.status(422, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"bad\",\"type\":\"x\"}]}"));
    assertProblem(issue("u"), 422, "upstream_rejected");
    decart.script(FakeDecart.Behaviour.status(429, "{}", java.util.Map.of("retry-after", "3")));
    assertProblem(issue("u"), 503, "upstream_throttled");
    decart.script(FakeDecart.Behaviour.status(500, "{}"));
    assertProblem(issue("u"), 502, "upstream_error");
    decart.script(FakeDecart.Behaviour.hang());
    assertProblem(issue("u"), 504, "upstream_timeout");
    decart.script(FakeDecart.Behaviour.okBody("{\"apiKey\":\"dct_not_a_client_key\",\"expiresAt\":\"x\"}"));
    assertProblem(issue("u"), 502, "upstream_error");
    assertThat(issue("u").statusCode()).as("the one slot is free again").isEqualTo(200);
  }

  @Test
  void aCallerWhoLeavesMidCallGivesItsLeaseBack() {
    start(tenants(new JsonObject().put("maxConcurrent", 1)));
    decart.script(FakeDecart.Behaviour.hang());
    gateway.post(TOKENS, token("globex", "u")).timeout(300).send();
    await(decart.firstClientClose());
    await().atMost(Duration.ofSeconds(10)).until(() -> issue("u").statusCode() == 200);
  }

  @Test
  void heartbeatKeepsALeaseAliveOnlyForTheTtlAndNeverPastItsBound() {
    JsonObject config = TestGateway.config(decart.baseUrl())
      .put("sessions", new JsonObject().put("heartbeatTtlSeconds", 30));
    start(config, tenants(new JsonObject().put("maxConcurrent", 1).put("defaultSessionSeconds", 60)));
    String lease = issue("alice").getHeader("Session-Lease");
    assertThat(heartbeat("alice", lease).statusCode()).isEqualTo(204);
    clock.advance(Duration.ofSeconds(25));
    assertThat(heartbeat("alice", lease).statusCode()).isEqualTo(204);
    clock.advance(Duration.ofSeconds(25));
    assertProblem(issue("bob"), 429, "session_limit");  // 25 s after the latest heartbeat: still live
    // Heartbeats every 25 s; the bound (expiresAt 60 s + 60 s cap from the mint) still ends it.
    assertThat(heartbeat("alice", lease).statusCode()).isEqualTo(204);
    clock.advance(Duration.ofSeconds(25));
    assertThat(heartbeat("alice", lease).statusCode()).isEqualTo(204);
    clock.advance(Duration.ofSeconds(25));
    assertThat(heartbeat("alice", lease).statusCode()).isEqualTo(204);  // at 100 s: ends at the 120 s bound
    clock.advance(Duration.ofSeconds(19));
    assertProblem(issue("bob"), 429, "session_limit");
    clock.advance(Duration.ofSeconds(2));
    assertProblem(heartbeat("alice", lease), 404, "lease_not_found");
    assertThat(issue("bob").statusCode()).isEqualTo(200);
  }

  @Test
  void aLeaseWithoutHeartbeatsEndsAfterTheTtlOnceItHadOne() {
    JsonObject config = TestGateway.config(decart.baseUrl())
      .put("sessions", new JsonObject().put("heartbeatTtlSeconds", 10));
    start(config, tenants(new JsonObject().put("maxConcurrent", 1)));
    String lease = issue("alice").getHeader("Session-Lease");
    assertThat(heartbeat("alice", lease).statusCode()).isEqualTo(204);
    clock.advance(Duration.ofSeconds(11));
    assertThat(issue("bob").statusCode()).isEqualTo(200);
  }

  @Test
  void releaseFreesTheSlotAtOnceAndOnlyForItsHolder() {
    start(tenants(new JsonObject().put("maxConcurrent", 1)));
    String lease = issue("alice").getHeader("Session-Lease");
    JsonObject foreign = assertProblem(release("bob", lease), 404, "lease_not_found");
    JsonObject unknown = assertProblem(release("alice", "AAAAAAAAAAAAAAAAAAAAAAAA"), 404, "lease_not_found");
    JsonObject otherTenant = assertProblem(await(gateway.post("/v1/sessions/" + lease + "/heartbeat",
      token("acme", "alice")).send()), 404, "lease_not_found");
    foreign.remove("requestId");
    unknown.remove("requestId");
    otherTenant.remove("requestId");
    assertThat(foreign).isEqualTo(unknown).isEqualTo(otherTenant);
    assertProblem(issue("bob"), 429, "session_limit");
    assertThat(release("alice", lease).statusCode()).isEqualTo(204);
    assertThat(issue("bob").statusCode()).isEqualTo(200);
    assertProblem(release("alice", lease), 404, "lease_not_found");
    assertProblem(heartbeat("alice", lease), 404, "lease_not_found");
  }

  @Test
  void leaseCallsNeedAValidSession() {
    start(tenants(new JsonObject().put("maxConcurrent", 1)));
    String lease = issue("alice").getHeader("Session-Lease");
    assertProblem(await(gateway.post("/v1/sessions/" + lease + "/heartbeat", null).send()), 401, "missing_token");
    assertProblem(await(gateway.post("/v1/sessions/" + lease + "/heartbeat", "not.a.jwt").send()), 401,
      "invalid_token");
  }

  @Test
  void theLegacyEndpointCarriesTheLeaseInHeaderAndBody() {
    start(tenants(new JsonObject().put("maxConcurrent", 2)));
    HttpResponse<Buffer> response = gateway.issue("/api/get-client-token", token("globex", "u"), null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("leaseId")).isEqualTo(response.getHeader("Session-Lease"))
      .isNotBlank();
  }

  @Test
  void tenantsWithoutAdmissionAreUnchanged() {
    start(tenants(new JsonObject().put("maxConcurrent", 1)));
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> response = gateway.issue("/api/get-client-token", token("acme", "u"), null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Session-Lease")).isNull();
      assertThat(response.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("clientToken", "expiresAt");
      assertThat(decart.last().json().getJsonObject("constraints").getJsonObject("realtime")
        .getInteger("maxSessionDuration")).as("acme's own maxSessionDuration").isEqualTo(600);
    }
    // A tenant with neither admission nor maxSessionDuration gets no constraints at all.
    gateway.close();
    start(TestGateway.unlimitedTenants());
    assertThat(issue("u").getHeader("Session-Lease")).isNull();
    assertThat(decart.last().json().containsKey("constraints")).isFalse();
    JsonObject admin = gateway.get(gateway.managementPort(), "/admin/sessions", MultiMap.caseInsensitiveMultiMap())
      .bodyAsJsonObject();
    assertThat(admin.getJsonObject("tenants")).isEmpty();
  }

  @Test
  void adminSessionsGaugesAndTheCountsMessageShowLeases() {
    JsonObject config = TestGateway.config(decart.baseUrl()).put("stats", new JsonObject().put("publishIntervalMs", 200));
    start(config, tenants(new JsonObject().put("maxConcurrent", 5).put("guaranteed", 2)));
    issue("a");
    issue("b");
    JsonObject admin = gateway.get(gateway.managementPort(), "/admin/sessions", MultiMap.caseInsensitiveMultiMap())
      .bodyAsJsonObject();
    assertThat(admin.getJsonObject("tenants").getJsonObject("globex")).isEqualTo(new JsonObject()
      .put("leased", 2).put("waiting", 0).put("maxConcurrent", 5).put("guaranteed", 2));
    assertThat(admin.getJsonObject("accounts").getJsonObject("DECART_API_KEY_GLOBEX").getInteger("leased"))
      .isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(Metrics.sample(gateway.scrape(), "token_gateway_sessions_leased", "tenant=globex")).isEqualTo(2);
      JsonObject issuance = gateway.get(gateway.managementPort(), "/admin/issuance",
        MultiMap.caseInsensitiveMultiMap()).bodyAsJsonObject();
      assertThat(issuance.getJsonObject("tenants").getJsonObject("globex").getInteger("leased")).isEqualTo(2);
    });
  }

  HttpResponse<Buffer> issue(String user) {
    return await(gateway.post(TOKENS, token("globex", user)).send());
  }

  HttpResponse<Buffer> heartbeat(String user, String lease) {
    return await(gateway.post("/v1/sessions/" + lease + "/heartbeat", token("globex", user)).send());
  }

  HttpResponse<Buffer> release(String user, String lease) {
    return await(gateway.delete("/v1/sessions/" + lease, token("globex", user)).send());
  }
}
