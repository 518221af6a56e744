package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.eventually;
import static io.tokengateway.testing.Metrics.sample;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.stats.StatsVerticle;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONTRACT §7 {@code /admin/issuance/stream} and §9 "the request path never waits on the stats verticle". */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AdminStreamTest {

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = fixture.decart(vertx);
    JsonObject config = TestGateway.config(decart.baseUrl()).put("stats", new JsonObject().put("publishIntervalMs", 100));
    gateway = fixture.gateway(vertx, config, TestGateway.tenants());
  }

  /** Subscribes and collects each event's data line. */
  private List<JsonObject> subscribe(HttpClient client) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    HttpClientResponse response = await(client.request(HttpMethod.GET, gateway.managementPort(), "127.0.0.1",
      "/admin/issuance/stream").compose(request -> request.send()));
    assertThat(response.getHeader("content-type")).isEqualTo("text/event-stream");
    StringBuilder pending = new StringBuilder();
    response.handler(chunk -> {
      pending.append(chunk.toString());
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String event = pending.substring(0, end);
        pending.delete(0, end + 2);
        if (event.startsWith("data: ")) {
          events.add(new JsonObject(event.substring("data: ".length())));
        }
      }
    });
    return events;
  }

  @Test
  void twoSubscribersReceiveTheSameMessages() throws Exception {
    HttpClient client = vertx.createHttpClient();
    List<JsonObject> first = subscribe(client);
    List<JsonObject> second = subscribe(client);
    gateway.issue(token("globex", "u1"), "{}");
    awaitTrue(() -> first.stream().anyMatch(AdminStreamTest::countsOneIssued)
      && second.stream().anyMatch(AdminStreamTest::countsOneIssued));
    JsonObject seenByFirst = first.stream().filter(AdminStreamTest::countsOneIssued).findFirst().orElseThrow();
    assertThat(second).contains(seenByFirst);
    assertThat(seenByFirst.fieldNames()).containsExactlyInAnyOrder("node", "at", "intervalMs", "tenants");
    await(client.close());
  }

  @Test
  void aSubscriberThatStopsReadingDoesNotStallTheOthers() throws Exception {
    NetSocket stalled = await(vertx.createNetClient().connect(gateway.managementPort(), "127.0.0.1"));
    stalled.write("GET /admin/issuance/stream HTTP/1.1\r\nHost: x\r\n\r\n");
    stalled.pause();  // reads nothing more: the kernel buffers fill, then the gateway's write queue
    HttpClient client = vertx.createHttpClient();
    List<JsonObject> healthy = subscribe(client);
    String padding = "x".repeat(64 * 1024);
    // Paced so that a subscriber that reads keeps up, while the stalled one's buffers fill.
    long pump = vertx.setPeriodic(5, id -> vertx.eventBus().publish(StatsVerticle.COUNTS_ADDRESS,
      new JsonObject().put("node", "test").put("pad", padding).put("tenants", new JsonObject())));
    awaitTrue(() -> sample(scrape(), "token_gateway_admin_stream_dropped_total") > 0);
    vertx.cancelTimer(pump);
    awaitTrue(() -> {
      vertx.eventBus().publish(StatsVerticle.COUNTS_ADDRESS, new JsonObject().put("node", "test").put("seq", "last")
        .put("tenants", new JsonObject()));
      return healthy.stream().anyMatch(event -> "last".equals(event.getValue("seq")));
    });
    assertThat(healthy.size()).as("the reading subscriber got the paced messages").isGreaterThan(10);
    await(stalled.close());
    await(client.close());
  }

  @Test
  void aBlockedStatsVerticleDoesNotHoldUpRequests() throws Exception {
    AtomicBoolean blocked = new AtomicBoolean(true);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<Object>> blockers = new ArrayList<>();
    // Occupy every worker thread, the stats verticle's included, until the requests are answered.
    for (int i = 0; i < 40; i++) {
      blockers.add(vertx.executeBlocking(() -> {
        release.await();
        return null;
      }, false));
    }
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      responses.add(gateway.post("/v1/client/tokens", token("globex", "u" + i)).send());
    }
    for (Future<HttpResponse<Buffer>> response : responses) {
      assertThat(await(response).statusCode()).isEqualTo(200);
    }
    assertThat(blocked.get()).as("all answered while the stats verticle could not run").isTrue();
    blocked.set(false);
    release.countDown();
    blockers.forEach(io.tokengateway.testing.Await::await);
    awaitTrue(() -> {
      JsonObject admin = gateway.get(gateway.managementPort(), "/admin/issuance", MultiMap.caseInsensitiveMultiMap())
        .bodyAsJsonObject().getJsonObject("tenants").getJsonObject("globex");
      return admin != null && admin.getLong("issued") == 50;
    });
  }

  private String scrape() {
    return gateway.get(gateway.managementPort(), "/metrics", MultiMap.caseInsensitiveMultiMap()).bodyAsString();
  }

  private static boolean countsOneIssued(JsonObject event) {
    JsonObject globex = event.getJsonObject("tenants").getJsonObject("globex");
    return globex != null && globex.getLong("issuedTotal") == 1;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    eventually().until(condition::getAsBoolean);
  }
}
