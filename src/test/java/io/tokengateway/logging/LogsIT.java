package io.tokengateway.logging;

import static io.tokengateway.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.JarProcess;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import io.tokengateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT §7 "Logs" on the packaged jar: every stdout line is a JSON object with the contract's fields and
 * level names (ours and every library's), request lines carry their ids as fields, the level and format come
 * from the config, and no line holds a token, key or Authorization value.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogsIT {

  private static final String MINTED = "ek_9f8e7d6c5b4a39281706f5e4d3c2b1a0realLooking";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final Set<String> LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG");

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private FakeDecart decart;

  @BeforeEach
  void start(Vertx vertx) {
    decart = fixture.decart(vertx);
  }

  @Test
  void noSecretReachesTheLogs(@TempDir Path dir) throws Exception {
    decart.script(FakeDecart.Behaviour.okBody(FakeDecart.tokenBody(MINTED)),
      FakeDecart.Behaviour.status(401, "{\"detail\":\"Invalid API key\"}"));
    Path conf = JarProcess.config(dir, "gateway", decart.baseUrl(), "tenants:\n  globex: {}\n");
    try (JarProcess gateway = JarProcess.start(TestGateway.env(), "--conf", conf.toString())) {
      int publicPort = gateway.awaitListening(30_000).publicPort();
      String bearer = TestGateway.token("globex", "user-42");
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + publicPort
            + "/v1/client/tokens")).header("Authorization", "Bearer " + bearer).header("x-request-id", "log-test-" + i)
          .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(i == 0 ? 200 : 502);
      }
      assertThat(gateway.awaitLine(l -> l.contains("log-test-1"), 10_000)).isNotNull();
      gateway.terminate();
      assertThat(gateway.awaitExit(30_000)).as(gateway.output()).isZero();

      String output = gateway.output();
      assertThat(output).doesNotContain(MINTED).doesNotContain(bearer).doesNotContain(TestGateway.DEFAULT_KEY)
        .doesNotContain(new String(TestGateway.HMAC_SECRET)).doesNotContain(bearer.substring(bearer.lastIndexOf('.') + 1));
      for (String stdout : gateway.stdout()) {
        assertThat(stdout).as("a JSON log line").startsWith("{");
        JsonObject line = new JsonObject(stdout);
        assertThat(line.fieldNames()).as(stdout).contains("time", "level", "logger", "message");
        assertThat(line.getString("level")).as(stdout).isIn(LEVELS);
      }
      JsonObject access = gateway.stdout().stream().map(JsonObject::new)
        .filter(json -> "log-test-0".equals(json.getString("requestId")) && "access".equals(json.getString("logger")))
        .findFirst().orElseThrow();
      assertThat(access.getString("tenant")).isEqualTo("globex");
      assertThat(access.getString("user")).isEqualTo("user-42");
      assertThat(access.getString("outcome")).isEqualTo("issued");
      assertThat(access.getInteger("status")).isEqualTo(200);
      assertThat(access.getInteger("upstreamAttempts")).isEqualTo(1);
      assertThat(access.fieldNames()).contains("time", "method", "path", "code", "upstreamMs", "totalMs");
      assertThat(gateway.stdout().get(gateway.stdout().size() - 1)).as("the last line survives the exit").contains("stopped");
      assertThat(access.getString("traceId")).isEqualTo(TRACE_ID);
      JsonObject rejected = gateway.stdout().stream().map(JsonObject::new)
        .filter(json -> json.getString("message").startsWith("Decart rejected key #1 (")).findFirst().orElseThrow();
      assertThat(rejected.getString("level")).isEqualTo("ERROR");
      assertThat(rejected.getString("message")).contains("of account DECART_API_KEY");
      assertThat(rejected.getString("requestId")).isEqualTo("log-test-1");
      assertThat(rejected.getString("traceId")).isEqualTo(TRACE_ID);
      assertThat(output).contains("upstream_auth_failed");
    }
  }

  @Test
  void everyLibrarysRecordsUseTheContractsLevelNames() throws Exception {
    try (JarProcess probe = JarProcess.startClass(LogProbe.class)) {
      assertThat(probe.awaitExit(30_000)).as(probe.output()).isZero();
      List<JsonObject> lines = probe.stdout().stream().map(JsonObject::new).toList();
      Map<String, String> expected = Map.of("jul warning", "WARN", "jul severe", "ERROR", "vertx warning", "WARN",
        "vertx error", "ERROR", "netty warning", "WARN", "netty error", "ERROR", "hazelcast warning", "WARN",
        "hazelcast severe", "ERROR", "system warning", "WARN", "system error", "ERROR");
      expected.forEach((message, level) -> assertThat(lines).as(probe.output())
        .anySatisfy(line -> {
          assertThat(line.getString("message")).isEqualTo(message);
          assertThat(line.getString("level")).isEqualTo(level);
        }));
      JsonObject vertxError = lines.stream().filter(line -> "vertx error".equals(line.getString("message")))
        .findFirst().orElseThrow();
      assertThat(vertxError.getJsonObject("error").getString("message")).isEqualTo("vertx failure");
      assertThat(vertxError.getString("stackTrace")).contains("LogProbe.main");
    }
  }

  @Test
  void theConfiguredLevelAndTextFormatApplyAndTheListeningLineStillPrints(@TempDir Path dir) throws Exception {
    Path conf = JarProcess.config(dir, "gateway", decart.baseUrl(), "tenants:\n  globex: {}\n",
      "logging: {level: WARN, format: text}");
    try (JarProcess gateway = JarProcess.start(TestGateway.env(), "--conf", conf.toString())) {
      int publicPort = gateway.awaitListening(30_000).publicPort();
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + publicPort + "/v1/client/tokens")).header("x-request-id", "quiet-1")
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(401);
      gateway.terminate();
      assertThat(gateway.awaitExit(30_000)).as(gateway.output()).isZero();
      List<String> lines = gateway.stdout();
      assertThat(lines).as("text, not JSON, after the config is read").anyMatch(line -> line.contains(" INFO ")
        && line.contains("listening public=") && !line.startsWith("{"));
      assertThat(lines).as("no access line at WARN").noneMatch(line -> line.contains("quiet-1"));
    }
  }

  /** CONTRACT §14: a rejected key, a fallback and a key file reload are logged by index and hash only. */
  @Test
  void keyFileRotationLogsNoKey(@TempDir Path dir) throws Exception {
    String revoked = "dct_revoked_primary_key_0001";
    String spare = "dct_spare_secondary_key_0002";
    decart.respond(FakeDecart.Behaviour.rejectKeys(Set.of(revoked)));
    Path keys = java.nio.file.Files.writeString(dir.resolve("decart-keys"), revoked + "\n" + spare + "\n");
    Path conf = JarProcess.config(dir, "gateway", decart.baseUrl(), "tenants:\n  globex: {}\n",
      "decart: {baseUrl: \"" + decart.baseUrl() + "\", apiKeyFile: \"" + keys + "\"}",
      "tenants: {file: \"" + dir.resolve("gateway-tenants.yaml") + "\", reloadSeconds: 1}");
    try (JarProcess gateway = JarProcess.start(TestGateway.env(), "--conf", conf.toString())) {
      int publicPort = gateway.awaitListening(30_000).publicPort();
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + publicPort + "/v1/client/tokens"))
        .header("Authorization", "Bearer " + TestGateway.token("globex", "u1"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("served by the spare key").isEqualTo(200);
      java.nio.file.Files.writeString(keys, spare + "\n");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
        .until(() -> decart.calls() >= 2 && gateway.output().contains("Decart rejected key #1 ("));
      gateway.terminate();
      assertThat(gateway.awaitExit(30_000)).isZero();
      assertThat(gateway.output()).doesNotContain(revoked).doesNotContain(spare)
        .doesNotContain(revoked.substring(4)).doesNotContain(spare.substring(4));
    }
  }
}
