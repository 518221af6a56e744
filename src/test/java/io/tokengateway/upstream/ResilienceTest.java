package io.tokengateway.upstream;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.eventually;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.FakeDecart.Behaviour;
import io.tokengateway.testing.GatewayFixture;
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
import org.awaitility.Awaitility;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONTRACT §6 retries and §4 {@code decart.*} against a fake Decart that fails on purpose:
 * every case asserts the answer and how many calls reached Decart.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ResilienceTest {

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = fixture.decart(vertx);
  }

  /** Fast backoff and a breaker that stays out of the way unless a test tunes it. */
  private TestGateway startWith(JsonObject decartSettings) {
    JsonObject config = TestGateway.config(decart.baseUrl());
    JsonObject settings = new JsonObject().put("retry", new JsonObject().put("backoffInitialMs", 10).put("backoffMaxMs", 40))
      .put("circuitBreaker", new JsonObject().put("failureThreshold", 1000));
    config.getJsonObject("decart").mergeIn(settings.mergeIn(decartSettings, true), true);
    gateway = fixture.gateway(vertx, config, TestGateway.unlimitedTenants());
    return gateway;
  }

  private HttpResponse<Buffer> issue() {
    return gateway.issue(token("globex", "u1"), "{}");
  }

  @Test
  void twoFailuresThenSuccessIs200AfterThreeCalls() {
    startWith(new JsonObject());
    decart.respond(Behaviour.failFirst(2, Behaviour.status(500, "{}")));
    assertThat(issue().statusCode()).isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(3);
  }

  @Test
  void withOneRetryTwoFailuresAre502AfterTwoCalls() {
    startWith(new JsonObject().put("retry", new JsonObject().put("maxRetries", 1)));
    decart.respond(Behaviour.failFirst(2, Behaviour.status(503, "{}")));
    assertProblem(issue(), 502, "upstream_error");
    assertThat(decart.calls()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void retriedStatusesAreTriedThreeTimes(int status) {
    startWith(new JsonObject());
    decart.respond(Behaviour.status(status, "{}"));
    assertProblem(issue(), 502, "upstream_error");
    assertThat(decart.calls()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 422, 501})
  void otherStatusesAreNeverRetried(int status) {
    startWith(new JsonObject());
    decart.respond(Behaviour.status(status, "{\"detail\":[]}"));
    assertThat(issue().statusCode()).isIn(422, 502);
    assertThat(decart.calls()).isEqualTo(1);
  }

  @Test
  void throttlingIs503WithDecartsRetryAfterAndNotRetried() {
    startWith(new JsonObject());
    decart.respond(Behaviour.status(429, "{}", Map.of("retry-after", "7")));
    HttpResponse<Buffer> response = issue();
    assertProblem(response, 503, "upstream_throttled");
    assertThat(response.getHeader("retry-after")).isEqualTo("7");
    assertThat(decart.calls()).isEqualTo(1);
  }

  @Test
  void connectionResetsAreRetriedThen502() {
    startWith(new JsonObject());
    decart.respond(Behaviour.resetBeforeHead());
    assertProblem(issue(), 502, "upstream_error");
    assertThat(decart.calls()).isEqualTo(3);
    decart.reset();
    decart.respond(Behaviour.failFirst(1, Behaviour.resetAfterHead()));
    assertThat(issue().statusCode()).isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(2);
  }

  @Test
  void aHangingDecartIs504WithinTheDeadline() {
    startWith(new JsonObject().put("timeoutMs", 300).put("deadlineMs", 1000));
    decart.respond(Behaviour.hang());
    long started = System.nanoTime();
    assertProblem(issue(), 504, "upstream_timeout");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(elapsedMs).isBetween(300L, 1000L + 1500L);
    assertThat(decart.calls()).isBetween(1, 3);
  }

  @Test
  void eachAttemptIsBoundedByTimeoutMs() {
    startWith(new JsonObject().put("timeoutMs", 200).put("deadlineMs", 10_000));
    decart.respond(Behaviour.hang());
    long started = System.nanoTime();
    assertProblem(issue(), 504, "upstream_timeout");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(decart.calls()).isEqualTo(3);
    assertThat(elapsedMs).isBetween(3 * 200L, 10_000L);
  }

  @Test
  void theBreakerOpensAfterTheThresholdAndClosesAfterAProbe() throws Exception {
    startWith(new JsonObject().put("retry", new JsonObject().put("maxRetries", 0))
      .put("circuitBreaker", new JsonObject().put("failureThreshold", 3).put("resetTimeoutMs", 500)));
    decart.respond(Behaviour.status(500, "{}"));
    for (int i = 0; i < 3; i++) {
      assertProblem(issue(), 502, "upstream_error");
    }
    HttpResponse<Buffer> open = issue();
    assertProblem(open, 503, "upstream_unavailable");
    assertThat(open.getHeader("retry-after")).isEqualTo("1");
    assertThat(decart.calls()).isEqualTo(3);
    assertThat(circuit()).isEqualTo("OPEN");
    assertThat(readiness().statusCode()).as("an open circuit keeps the pod ready").isEqualTo(200);
    awaitCircuit("HALF_OPEN");
    decart.respond(Behaviour.ok());
    assertThat(issue().statusCode()).isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(4);
    assertThat(circuit()).isEqualTo("CLOSED");
  }

  @Test
  void fourHundredsDoNotOpenTheBreaker() {
    startWith(new JsonObject().put("circuitBreaker", new JsonObject().put("failureThreshold", 2)));
    decart.respond(Behaviour.status(422, "{\"detail\":[]}"));
    for (int i = 0; i < 4; i++) {
      assertProblem(issue(), 422, "upstream_rejected");
    }
    assertThat(circuit()).isEqualTo("CLOSED");
  }

  @Test
  void beyondMaxInFlightTheNextRequestIs503AtOnce() throws Exception {
    startWith(new JsonObject().put("maxInFlight", 5).put("timeoutMs", 20_000).put("deadlineMs", 20_000));
    decart.respond(Behaviour.hang());
    for (int i = 0; i < 5; i++) {
      gateway.post("/v1/client/tokens", token("globex", "u" + i)).send();
    }
    awaitCalls(5);
    HttpResponse<Buffer> sixth = issue();
    assertProblem(sixth, 503, "upstream_unavailable");
    assertThat(sixth.getHeader("retry-after")).isEqualTo("1");
    assertThat(decart.calls()).isEqualTo(5);
  }

  /** The attempt in flight ends by its own timeout (no public way to reset it sooner); no retry follows. */
  @Test
  void aCallerThatDisconnectsEndsTheCallWithoutRetry() throws Exception {
    startWith(new JsonObject().put("timeoutMs", 1000).put("deadlineMs", 20_000));
    decart.respond(Behaviour.hang());
    io.vertx.core.net.NetClient client = vertx.createNetClient();
    io.vertx.core.net.NetSocket socket = await(client.connect(gateway.port(), "127.0.0.1"));
    socket.write("POST /v1/client/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token("globex", "u1")
      + "\r\nContent-Length: 0\r\n\r\n");
    awaitCalls(1);
    await(socket.close());
    await(decart.firstClientClose());
    assertThat(decart.clientClosedConnections()).isEqualTo(1);
    Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
      .untilAsserted(() -> assertThat(decart.calls()).as("no retry for a caller who left").isEqualTo(1));
    assertThat(gateway.scrape()).contains("token_gateway_requests_total{outcome=\"failed\",tenant=\"globex\"} 1.0");
    await(client.close());
  }

  @Test
  void aBurstAgainstAFlakyDecartGetsOneContractAnswerEach() {
    startWith(new JsonObject().put("circuitBreaker", new JsonObject().put("failureThreshold", 50)));
    decart.respond(Behaviour.randomFailures(0.3, 42));
    int total = 2000;
    java.util.List<Future<HttpResponse<Buffer>>> responses = new java.util.ArrayList<>();
    String bearer = token("globex", "burst");
    for (int i = 0; i < total; i++) {
      responses.add(gateway.post("/v1/client/tokens", bearer).send());
    }
    Map<Integer, Long> byStatus = new java.util.TreeMap<>();
    for (Future<HttpResponse<Buffer>> response : responses) {
      byStatus.merge(await(response).statusCode(), 1L, Long::sum);
    }
    System.out.println("burst of " + total + " against 30% failures: " + byStatus + ", upstream calls " + decart.calls());
    assertThat(byStatus.keySet()).isSubsetOf(200, 502, 503, 504);
    assertThat(byStatus.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    assertThat(byStatus.get(200)).isPositive();
  }

  private HttpResponse<Buffer> readiness() {
    return gateway.get(gateway.managementPort(), "/health/ready", MultiMap.caseInsensitiveMultiMap());
  }

  private String circuit() {
    JsonObject body = readiness().bodyAsJsonObject();
    return body.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(check -> check.getString("id").equals("decart-circuit")).findFirst().orElseThrow()
      .getJsonObject("data").getString("state");
  }

  private void awaitCircuit(String state) {
    eventually().untilAsserted(() -> assertThat(circuit()).isEqualTo(state));
  }

  private void awaitCalls(int calls) {
    eventually().until(() -> decart.calls() >= calls);
    assertThat(decart.calls()).isEqualTo(calls);
  }
}
