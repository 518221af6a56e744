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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.tokengateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §12 "Waiting": {@code Prefer: wait=N} parks a refused request until a slot frees (first come first
 * served, a tenant below its guarantee first), refuses it as before when the wait ends, drops a caller who
 * leaves, and refuses at once beyond {@code maxWaiting}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class WaitingLineTest {

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

  private void start(JsonObject sessions) {
    gateway = fixture.gateway(vertx, TestGateway.config(decart.baseUrl()),
      SessionLeaseTest.tenants(sessions), clock);
  }

  @Test
  void freedSlotsGoToTheWaitersInArrivalOrder() {
    start(new JsonObject().put("maxConcurrent", 1).put("maxWaitSeconds", 20));
    String held = issue("holder").getHeader("Session-Lease");
    Future<HttpResponse<Buffer>> first = waiting("w1", 20, 1);
    Future<HttpResponse<Buffer>> second = waiting("w2", 20, 2);
    Future<HttpResponse<Buffer>> third = waiting("w3", 20, 3);
    release("holder", held);
    HttpResponse<Buffer> admitted = await(first);
    assertThat(admitted.statusCode()).isEqualTo(200);
    assertThat(admitted.getHeader("Preference-Applied")).isEqualTo("wait=20");
    assertThat(second.isComplete()).isFalse();
    release("w1", admitted.getHeader("Session-Lease"));
    HttpResponse<Buffer> next = await(second);
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(third.isComplete()).isFalse();
    release("w2", next.getHeader("Session-Lease"));
    assertThat(await(third).statusCode()).isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(4);
    assertThat(Metrics.sample(gateway.scrape(), "token_gateway_session_wait_seconds_count")).isEqualTo(3);
  }

  @Test
  void theWaitEndsWithTheSameRefusal() {
    start(new JsonObject().put("maxConcurrent", 1).put("maxWaitSeconds", 1));
    issue("holder");
    long started = System.nanoTime();
    HttpResponse<Buffer> refused = await(gateway.post(SessionLeaseTest.TOKENS, token("globex", "w"))
      .putHeader("Prefer", "respond-async, wait=100").send());  // bounded by maxWaitSeconds
    assertProblem(refused, 429, "session_limit");
    assertThat(refused.getHeader("retry-after")).isNotNull();
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
    assertThat(decart.calls()).isEqualTo(1);
  }

  @Test
  void withoutAWaitAllowanceARefusalIsImmediate() {
    start(new JsonObject().put("maxConcurrent", 1));
    issue("holder");
    assertProblem(await(gateway.post(SessionLeaseTest.TOKENS, token("globex", "w")).putHeader("Prefer", "wait=30")
      .timeout(5_000).send()), 429, "session_limit");
  }

  @Test
  void aCallerWhoLeavesLeavesTheLine() {
    start(new JsonObject().put("maxConcurrent", 1).put("maxWaitSeconds", 30));
    String held = issue("holder").getHeader("Session-Lease");
    gateway.post(SessionLeaseTest.TOKENS, token("globex", "gone")).putHeader("Prefer", "wait=30").timeout(4_000).send();
    awaitWaiting(1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
      Metrics.sample(gateway.scrape(), "token_gateway_sessions_waiting", "tenant=globex") == 1);
    awaitWaiting(0);  // the client gave up after 4 s and closed its connection
    release("holder", held);
    assertThat(issue("next").statusCode()).isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(2);
  }

  @Test
  void beyondMaxWaitingARequestIsRefusedAtOnce() {
    start(new JsonObject().put("maxConcurrent", 1).put("maxWaitSeconds", 30).put("maxWaiting", 1));
    issue("holder");
    waiting("w1", 30, 1);
    HttpResponse<Buffer> overflow = await(gateway.post(SessionLeaseTest.TOKENS, token("globex", "w2"))
      .putHeader("Prefer", "wait=30").timeout(5_000).send());
    assertProblem(overflow, 429, "session_limit");
  }

  @Test
  void aFreedSlotGoesFirstToATenantBelowItsGuarantee() {
    decart.respondQuota(FakeDecart.quota(10, 10, 0));
    JsonObject sessions = new JsonObject().put("maxConcurrent", 5).put("maxWaitSeconds", 20);
    JsonObject tenants = new JsonObject().put("unknownTenants", "reject")
      .put("defaults", new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 0).put("perUserPerMinute", 0)))
      .put("tenants", new JsonObject().put("a", new JsonObject().put("sessions", sessions.copy().put("guaranteed", 1)))
        .put("b", new JsonObject().put("sessions", sessions)));
    JsonObject config = TestGateway.config(decart.baseUrl()).put("sessions", new JsonObject().put("quotaPollSeconds", 1));
    gateway = fixture.gateway(vertx, config, tenants, clock);
    await().atMost(Duration.ofSeconds(10)).until(() -> decart.quotaCalls() > 0);
    Future<HttpResponse<Buffer>> longer = waiting("b", "early", 20, 1);
    Future<HttpResponse<Buffer>> guaranteed = waiting("a", "late", 20, 1);
    decart.respondQuota(FakeDecart.quota(10, 9, 1));  // one slot frees at Decart
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<Buffer> admitted = await(guaranteed);
    assertThat(admitted.statusCode()).isEqualTo(200);
    assertThat(longer.isComplete()).as("b waited longer, but a is below its guarantee").isFalse();
    // b's 20 s wait runs out from when it was sent: the default 20 s bound, counted from now, left it only the time
    // this test took so far (well under a second) to answer.
    assertProblem(await(longer, Duration.ofSeconds(40)), 503, "capacity_exhausted");
  }

  private Future<HttpResponse<Buffer>> waiting(String user, int seconds, int expectWaiting) {
    return waiting("globex", user, seconds, expectWaiting);
  }

  /** Sends a waiting request and returns once the line holds it (so arrival order is the test's order). */
  private Future<HttpResponse<Buffer>> waiting(String tenant, String user, int seconds, int expectWaiting) {
    Future<HttpResponse<Buffer>> response = gateway.post(SessionLeaseTest.TOKENS, token(tenant, user))
      .putHeader("Prefer", "wait=" + seconds).send();
    await().atMost(Duration.ofSeconds(10)).until(() -> waitingOf(tenant) == expectWaiting);
    return response;
  }

  private void awaitWaiting(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> waitingOf("globex") == n);
  }

  private int waitingOf(String tenant) {
    return gateway.get(gateway.managementPort(), "/admin/sessions", MultiMap.caseInsensitiveMultiMap())
      .bodyAsJsonObject().getJsonObject("tenants").getJsonObject(tenant).getInteger("waiting");
  }

  private HttpResponse<Buffer> issue(String user) {
    return await(gateway.post(SessionLeaseTest.TOKENS, token("globex", user)).send());
  }

  private void release(String user, String lease) {
    assertThat(await(gateway.delete("/v1/sessions/" + lease, token("globex", user)).send()).statusCode())
      .isEqualTo(204);
  }
}
