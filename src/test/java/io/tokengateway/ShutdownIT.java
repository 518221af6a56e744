package io.tokengateway;

import static io.tokengateway.testing.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.JarProcess;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import io.tokengateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT §11 on the real jar: SIGTERM with 20 requests in flight against a slow Decart. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownIT {

  private static final int IN_FLIGHT = 20;

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private FakeDecart decart;

  @BeforeEach
  void start(Vertx vertx) {
    decart = fixture.decart(vertx);
  }

  @Test
  void sigtermDrainsCompletesEveryRequestAndExitsZero(@TempDir Path dir) throws Exception {
    decart.respond(FakeDecart.Behaviour.delay(2500));
    Path conf = JarProcess.config(dir, "gateway", decart.baseUrl(), "tenants:\n  globex: {}\n",
      "server: {host: 127.0.0.1, port: 0, shutdownDrainMs: 1000}");
    try (JarProcess gateway = JarProcess.start(TestGateway.env(), "--conf", conf.toString())) {
      JarProcess.Listening ports = gateway.awaitListening(30_000);
      HttpClient http = HttpClient.newHttpClient();
      String ready = "http://127.0.0.1:" + ports.managementPort() + "/health/ready";
      assertThat(status(http, ready)).isEqualTo(200);

      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.publicPort() + "/v1/client/tokens"))
          .header("Authorization", "Bearer " + TestGateway.token("globex", "u" + i))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
      }
      eventually().until(() -> decart.calls() >= IN_FLIGHT);
      assertThat(decart.calls()).isEqualTo(IN_FLIGHT);

      long signalled = System.nanoTime();
      gateway.terminate();
      // The signal reaches the JVM asynchronously: readiness must flip well within the drain period.
      eventually().atMost(Duration.ofMillis(900)).pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(status(http, ready)).as("readiness during the drain").isEqualTo(503));
      HttpClient newConnection = HttpClient.newHttpClient();
      calls.add(newConnection.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.publicPort()
          + "/v1/client/tokens")).header("Authorization", "Bearer " + TestGateway.token("globex", "late"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"apiKey\":\"ek_");
      }
      assertThat(gateway.awaitExit(30_000)).as(gateway.output()).isZero();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled);
      System.out.println("SIGTERM to exit: " + seconds + " s");
      assertThat(seconds).isLessThan(30);
    }
  }

  private static int status(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
      .statusCode();
  }
}
