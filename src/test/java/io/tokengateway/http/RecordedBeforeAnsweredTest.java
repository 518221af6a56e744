package io.tokengateway.http;

import static io.tokengateway.testing.Await.eventually;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token request is recorded (lease end, ledger, report) before its answer leaves, issued or refused: a caller holding
 * its answer finds it counted. Answered first, a quick caller could scrape or read the ledger before the records.
 * <p>
 * Deterministic: a tenant's first report (the last of the records) makes its request counters, and the hook on that
 * holds the answering event loop until the caller has its answer, or 1 s. Answered first, the caller gets it during
 * the hold.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RecordedBeforeAnsweredTest {

  private static final long HOLD_MS = 1000;

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private final Map<String, CountDownLatch> answered = Map.of("globex", new CountDownLatch(1),
    "acme", new CountDownLatch(1));
  private final Map<String, Boolean> answeredBeforeReport = new ConcurrentHashMap<>();

  @Test
  void theAnswerLeavesOnlyOnceTheRequestIsReported(Vertx vertx) throws Exception {
    PrometheusMeterRegistry registry = GatewayMetrics.newRegistry();
    registry.config().onMeterAdded(this::holdTheFirstReport);
    FakeDecart decart = fixture.decart(vertx);
    TestGateway gateway = fixture.gateway(vertx, TestGateway.config(decart.baseUrl()), TestGateway.tenants(), registry);
    // A JDK client: its own threads read the answer even while the gateway's event loop is held.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    assertThat(issue(http, gateway, "globex")).as("issued").isEqualTo(200);
    // Refused after Decart's answer, like the 200: a refusal decided while the request is being read leaves with
    // that read's flush, after the turn, and would not tell the orders apart.
    decart.script(FakeDecart.Behaviour.status(400, "{\"detail\":\"no\"}"));
    assertThat(issue(http, gateway, "acme")).as("refused: Decart's 400 is 502 upstream_error").isEqualTo(502);

    eventually().until(() -> answeredBeforeReport.size() == 2);
    assertThat(answeredBeforeReport).containsEntry("globex", false).containsEntry("acme", false);
  }

  private int issue(HttpClient http, TestGateway gateway, String tenant) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/v1/client/tokens")).header("authorization", "Bearer " + token(tenant, "u1"))
      .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    answered.get(tenant).countDown();
    return response.statusCode();
  }

  /** On the event loop answering the tenant's first request: has the caller had its answer within the hold? */
  private void holdTheFirstReport(Meter meter) {
    Meter.Id id = meter.getId();
    CountDownLatch answer = answered.get(String.valueOf(id.getTag("tenant")));
    if (id.getName().equals(GatewayMetrics.REQUESTS) && "issued".equals(id.getTag("outcome")) && answer != null) {
      try {
        answeredBeforeReport.put(id.getTag("tenant"), answer.await(HOLD_MS, TimeUnit.MILLISECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
