package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §4 {@code server.headerReadTimeoutMs} and {@code server.maxConnections} with real sockets: hundreds of
 * slowloris connections are cut at the deadline while normal requests are served; over the cap new connections
 * are closed at once while the open ones go on being served.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ConnectionGuardTest {

  private static final int HEAD_TIMEOUT_MS = 3000;
  private static final int IDLE_SECONDS = 1;
  /** Slack for a shared 2-core machine: the sweep runs every 150 ms, but event loops may be busy. */
  private static final long LATE_MS = 5000;
  private static final String DRIBBLED_HEAD = "POST /v1/client/tokens HTTP/1.1\r\nHost: gateway\r\nX-Slow: "
    + "a".repeat(200) + "\r\n\r\n";

  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;
  private NetClient sockets;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
    sockets = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
  }

  @AfterEach
  void stop() {
    await(sockets.close());
    if (gateway != null) {
      gateway.close();
    }
    await(decart.close());
  }

  private void startGateway(int maxConnections, int idleSeconds) {
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("server").put("headerReadTimeoutMs", HEAD_TIMEOUT_MS).put("idleTimeoutSeconds", idleSeconds)
      .put("maxConnections", maxConnections);
    gateway = TestGateway.start(vertx, config, TestGateway.unlimitedTenants(), TestGateway.env());
  }

  @Test
  void hundredsOfSlowHeadsAreCutAtTheDeadlineWhileNormalRequestsAreServed() {
    startGateway(20_000, 60);
    assertThat(gateway.issue(token("globex", "warm-up"), null).statusCode()).isEqualTo(200);
    List<Dribbler> dribblers = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      dribblers.add(await(Dribbler.connect(vertx, sockets, gateway.port())));
    }
    for (int i = 0; i < 20; i++) {
      long started = System.nanoTime();
      assertThat(gateway.issue(token("globex", "user-" + i), null).statusCode()).isEqualTo(200);
      assertThat(elapsedMs(started)).as("a normal request is not held up by the slow ones").isLessThan(HEAD_TIMEOUT_MS);
    }
    Awaitility.await().atMost(Duration.ofMillis(HEAD_TIMEOUT_MS + LATE_MS + 5000))
      .until(() -> dribblers.stream().allMatch(d -> d.closedAfterMs > 0));
    for (Dribbler dribbler : dribblers) {
      assertThat(dribbler.closedAfterMs).as("closed at the deadline, not before")
        .isBetween(HEAD_TIMEOUT_MS - 100L, HEAD_TIMEOUT_MS + LATE_MS);
      assertThat(dribbler.received.toString()).as("no answer to a head that never completed").isEmpty();
    }
    assertThat(decart.calls()).isEqualTo(21);
  }

  @Test
  void aKeepAliveConnectionsNextHeadIsBoundedToo() {
    startGateway(20_000, IDLE_SECONDS);
    Client client = await(Client.connect(sockets, gateway.port()));
    assertThat(await(client.exchange(request(token("globex", "u1"))))).startsWith("HTTP/1.1 200");
    long asked = System.nanoTime();  // before asking: the gateway cannot answer, and start its timers, earlier
    assertThat(await(client.exchange(request(token("globex", "u1"))))).as("keep-alive still works").startsWith("HTTP/1.1 200");
    // Faster than the idle timeout, which every byte resets: only the head deadline can end this.
    vertx.setPeriodic(1, IDLE_SECONDS * 1000L / 2, id -> {
      if (client.closed) {
        vertx.cancelTimer(id);
      } else {
        client.socket.write("X");
      }
    });
    Awaitility.await().atMost(Duration.ofMillis(IDLE_SECONDS * 1000L + HEAD_TIMEOUT_MS + LATE_MS + 5000))
      .until(() -> client.closed);
    // Vert.x's idle timer sees whole HTTP messages, not bytes: the trickle does not reset it. The guard's backstop
    // (idle + head timeout after the answer) would close it otherwise.
    assertThat(elapsedMs(asked)).as("closed within idle timeout + head timeout of the last answer, despite the trickle")
      .isBetween(IDLE_SECONDS * 1000L - 100, IDLE_SECONDS * 1000L + HEAD_TIMEOUT_MS + LATE_MS);
  }

  @Test
  void overMaxConnectionsNewOnesAreClosedAtOnceAndOpenOnesAreServed() {
    int max = 20;
    startGateway(max, 60);
    List<Client> open = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      Client client = await(Client.connect(sockets, gateway.port()));
      assertThat(await(client.exchange(request(token("globex", "u" + i))))).startsWith("HTTP/1.1 200");
      open.add(client);
    }
    Client refused = await(Client.connect(sockets, gateway.port()));
    refused.socket.write(request(token("globex", "extra")));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> refused.closed);
    assertThat(refused.received.toString()).as("closed without an answer").isEmpty();

    for (Client client : open) {
      assertThat(await(client.exchange(request(token("globex", "again"))))).startsWith("HTTP/1.1 200");
    }
    for (Client client : open.subList(0, 5)) {
      await(client.socket.close());
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Client fresh = await(Client.connect(sockets, gateway.port()));
      assertThat(await(fresh.exchange(request(token("globex", "fresh"))))).startsWith("HTTP/1.1 200");
    });
  }

  private static String request(String bearer) {
    return "POST /v1/client/tokens HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + bearer
      + "\r\nContent-Length: 0\r\n\r\n";
  }

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Sends its head one byte a second; records when the server closed it and what it answered. */
  private static final class Dribbler {
    final Buffer received = Buffer.buffer();
    volatile long closedAfterMs;

    static Future<Dribbler> connect(Vertx vertx, NetClient sockets, int port) {
      long connected = System.nanoTime();  // before connecting: the gateway's deadline cannot start earlier
      return sockets.connect(port, "127.0.0.1").map(socket -> {
        Dribbler dribbler = new Dribbler();
        socket.handler(dribbler.received::appendBuffer);
        int[] next = {0};
        long timer = vertx.setPeriodic(1, 1000, id -> socket.write(DRIBBLED_HEAD.substring(next[0], ++next[0])));
        socket.closeHandler(v -> {
          vertx.cancelTimer(timer);
          dribbler.closedAfterMs = Math.max(1, elapsedMs(connected));
        });
        return dribbler;
      });
    }
  }

  /** One keep-alive connection speaking HTTP/1.1 by hand: one request, then its whole answer. */
  private static final class Client {
    private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");
    final Buffer received = Buffer.buffer();
    NetSocket socket;
    volatile boolean closed;
    private Promise<String> pending;
    private int from;

    static Future<Client> connect(NetClient sockets, int port) {
      return sockets.connect(port, "127.0.0.1").map(socket -> {
        Client client = new Client();
        client.socket = socket;
        socket.handler(client::received);
        socket.closeHandler(v -> {
          client.closed = true;
          if (client.pending != null) {
            client.pending.tryFail("closed");
          }
        });
        return client;
      });
    }

    Future<String> exchange(String request) {
      pending = Promise.promise();
      from = received.length();
      socket.write(request);
      return pending.future();
    }

    private void received(Buffer chunk) {
      received.appendBuffer(chunk);
      String answer = received.getString(from, received.length());
      int head = answer.indexOf("\r\n\r\n");
      Matcher length = LENGTH.matcher(answer);
      if (pending != null && head >= 0 && length.find() && answer.length() >= head + 4 + Integer.parseInt(length.group(1))) {
        pending.tryComplete(answer);
      }
    }
  }
}
