package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.stats.StatsVerticle;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §7 and §4 {@code management}: the management port has the public port's head limits, and at most
 * {@code maxStreams} SSE subscribers (503 beyond), each fed through a local consumer. Real sockets.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ManagementServerTest {

  private static final int MAX_STREAMS = 2;
  private static final int HEAD_TIMEOUT_MS = 1000;

  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
    gateway = startGateway(null);
    client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(10));
  }

  /**
   * The short head timeout only where it is tested: with it, a real client's first request on a cold, loaded JVM
   * can miss the deadline, which counts from the connection's start, and is cut (HttpClosedException).
   */
  private TestGateway startGateway(Integer headTimeoutMs) {
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("server").put("idleTimeoutSeconds", 1);
    if (headTimeoutMs != null) {
      config.getJsonObject("server").put("headerReadTimeoutMs", headTimeoutMs);
    }
    config.getJsonObject("management").put("maxStreams", MAX_STREAMS);
    return TestGateway.start(vertx, config, TestGateway.tenants(), TestGateway.env());
  }

  @AfterEach
  void stop() {
    await(client.close());
    gateway.close();
    await(decart.close());
  }

  @Test
  void beyondMaxStreamsSubscribersGet503AndASlotFreesWhenOneLeaves() {
    Subscriber first = subscribe();
    Subscriber second = subscribe();
    assertThat(first.response.statusCode()).isEqualTo(200);
    assertThat(second.response.statusCode()).isEqualTo(200);

    HttpClientResponse[] third = new HttpClientResponse[1];
    // body() inside send()'s callback: chained after it from this thread, it may run after the 503's body and
    // end have arrived and been dropped, and then never completes.
    Buffer problem = await(client.request(HttpMethod.GET, gateway.managementPort(), "127.0.0.1",
      "/admin/issuance/stream").compose(request -> request.send().compose(response -> {
        third[0] = response;
        return response.body();
      })));
    assertThat(third[0].statusCode()).isEqualTo(503);
    assertThat(third[0].getHeader("content-type")).isEqualTo(ProblemResponder.CONTENT_TYPE);
    assertThat(third[0].getHeader("retry-after")).isNotNull();
    assertThat(problem.toJsonObject().getString("code")).isEqualTo("too_many_streams");

    // A message published on the cluster-wide address reaches every subscriber through its local consumer.
    vertx.eventBus().publish(StatsVerticle.COUNTS_ADDRESS, "not a counts message");
    vertx.eventBus().publish(StatsVerticle.COUNTS_ADDRESS, new JsonObject().put("node", "probe").put("tenants", new JsonObject()));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.saw("\"node\":\"probe\"") && second.saw("\"node\":\"probe\""));
    assertThat(first.saw("not a counts message")).isFalse();

    await(first.response.request().connection().close());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> await(client.request(HttpMethod.GET,
      gateway.managementPort(), "127.0.0.1", "/admin/issuance/stream").compose(request -> request.send()))
      .statusCode() == 200);
  }

  @Test
  void aHeadOverTheLimitIs431OnTheManagementPortToo() {
    String raw = await(RawHttp.exchange(vertx, gateway.managementPort(), 1, 5000,
      "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(9000) + "\r\n\r\n"));
    assertThat(raw).startsWith("HTTP/1.1 431");
  }

  @Test
  void aSlowHeadIsCutOnTheManagementPort() {
    gateway.close();
    gateway = startGateway(HEAD_TIMEOUT_MS);
    long connected = System.nanoTime();  // before connecting: the gateway's deadline cannot start earlier
    NetSocket socket = await(vertx.createNetClient().connect(gateway.managementPort(), "127.0.0.1"));
    AtomicLong closedAfterMs = new AtomicLong();
    AtomicBoolean answered = new AtomicBoolean();
    socket.handler(chunk -> answered.set(true));
    String head = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    int[] next = {0};
    long timer = vertx.setPeriodic(1, 300, id -> socket.write(head.substring(next[0], ++next[0])));
    socket.closeHandler(v -> {
      vertx.cancelTimer(timer);
      closedAfterMs.set((System.nanoTime() - connected) / 1_000_000);
    });
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> closedAfterMs.get() > 0);
    assertThat(closedAfterMs.get()).isGreaterThanOrEqualTo(HEAD_TIMEOUT_MS - 100);
    assertThat(answered).isFalse();
  }

  /** The idle timeout closes a silent connection; an SSE subscriber outlives it on heartbeats. Takes ~30 s. */
  @Test
  void anIdleConnectionIsClosedWhileAStreamLivesOnHeartbeats() {
    Subscriber stream = subscribe();
    AtomicBoolean streamClosed = new AtomicBoolean();
    stream.response.request().connection().closeHandler(v -> streamClosed.set(true));
    // Held: Vert.x's cleaner closes an unreferenced client's sockets 30 s after a GC, which would look like the idle cut.
    NetClient sockets = vertx.createNetClient();
    NetSocket idle = await(sockets.connect(gateway.managementPort(), "127.0.0.1"));
    AtomicLong closedAfterMs = new AtomicLong();
    long connected = System.nanoTime();
    idle.closeHandler(v -> closedAfterMs.set((System.nanoTime() - connected) / 1_000_000));
    idle.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
    long idleMs = ManagementServer.MIN_IDLE_TIMEOUT_SECONDS * 1000L;
    Awaitility.await().atMost(Duration.ofMillis(idleMs + 15_000)).until(() -> closedAfterMs.get() > 0);
    assertThat(closedAfterMs.get()).isGreaterThanOrEqualTo(idleMs - 100);
    assertThat(streamClosed).as("the SSE stream, written to every 15 s, is not idle").isFalse();
    assertThat(stream.saw(": heartbeat")).isTrue();
    await(sockets.close());
  }

  private Subscriber subscribe() {
    return await(client.request(HttpMethod.GET, gateway.managementPort(), "127.0.0.1", "/admin/issuance/stream")
      .compose(request -> request.send().map(response -> {
        Subscriber subscriber = new Subscriber(response);
        response.handler(chunk -> {  // set inside send()'s callback: in the turn that delivers the head, before any chunk
          synchronized (subscriber.received()) {
            subscriber.received().appendBuffer(chunk);
          }
        });
        return subscriber;
      })));
  }

  /** One SSE subscriber and everything it was sent. */
  private record Subscriber(HttpClientResponse response, Buffer received) {
    Subscriber(HttpClientResponse response) {
      this(response, Buffer.buffer());
    }

    boolean saw(String text) {
      synchronized (received) {
        return received.toString().contains(text);
      }
    }
  }
}
