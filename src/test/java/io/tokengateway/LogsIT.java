package io.tokengateway;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The jar's whole output (stdout and stderr) is JSON lines and never holds a token, key or Authorization value. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogsIT {

  private static final String MINTED = "ek_9f8e7d6c5b4a39281706f5e4d3c2b1a0realLooking";

  private Vertx vertx;
  private FakeDecart decart;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    decart = await(FakeDecart.start(vertx));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
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
        new JsonObject(stdout);
      }
      JsonObject access = gateway.stdout().stream().map(JsonObject::new)
        .filter(json -> "log-test-0".equals(json.getString("requestId"))).findFirst().orElseThrow();
      assertThat(access.getString("logger")).isEqualTo("access");
      assertThat(access.getString("tenant")).isEqualTo("globex");
      assertThat(access.getString("user")).isEqualTo("user-42");
      assertThat(access.getString("outcome")).isEqualTo("issued");
      assertThat(access.getInteger("status")).isEqualTo(200);
      assertThat(access.getInteger("upstreamAttempts")).isEqualTo(1);
      assertThat(access.fieldNames()).contains("time", "method", "path", "code", "upstreamMs", "totalMs");
      assertThat(gateway.stdout().get(gateway.stdout().size() - 1)).as("the last line survives the exit").contains("stopped");
      assertThat(output).contains("upstream_auth_failed").contains("Decart rejected key #1 (")
        .contains("of account DECART_API_KEY");
    }
  }

  /** CONTRACT §14: a rejected key, a fallback and a key file reload are logged by index and hash only. */
  @Test
  void keyFileRotationLogsNoKey(@TempDir Path dir) throws Exception {
    String revoked = "dct_revoked_primary_key_0001";
    String spare = "dct_spare_secondary_key_0002";
    decart.respond(FakeDecart.Behaviour.rejectKeys(java.util.Set.of(revoked)));
    Path keys = Files.writeString(dir.resolve("decart-keys"), revoked + "\n" + spare + "\n");
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
      Files.writeString(keys, spare + "\n");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
        .until(() -> decart.calls() >= 2 && gateway.output().contains("Decart rejected key #1 ("));
      gateway.terminate();
      assertThat(gateway.awaitExit(30_000)).isZero();
      assertThat(gateway.output()).doesNotContain(revoked).doesNotContain(spare)
        .doesNotContain(revoked.substring(4)).doesNotContain(spare.substring(4));
    }
  }
}
