package io.tokengateway.control;

import static io.tokengateway.testing.Await.await;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import io.tokengateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT §13 logger {@code audit} from the packaged jar: one line per issuance and per admin write,
 * naming the admin token by its position, and never holding a client token, admin token or account key.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditLogIT {

  private static final String MINTED = "ek_5c1e7a0b9d8f4e3a2b1c0d9e8f7a6b5cAuditCheck";

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private FakeDecart decart;

  @BeforeEach
  void start(Vertx vertx) {
    decart = fixture.decart(vertx);
  }

  @Test
  void auditLinesNameEverythingButTheSecrets(@TempDir Path dir) throws Exception {
    decart.respond(FakeDecart.Behaviour.okBody(FakeDecart.tokenBody(MINTED)));
    Path conf = JarProcess.config(dir, "gateway", decart.baseUrl(), "tenants:\n  globex: {}\n",
      "management: {host: 127.0.0.1, port: 0, adminTokenEnv: " + AdminClient.TOKENS_ENV + "}");
    Map<String, String> env = TestGateway.env();
    env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST + "," + AdminClient.SECOND);
    // Until Log4j2's own backend is on the classpath, the API's fallback logger prints only ERROR by default.
    env.put("JAVA_TOOL_OPTIONS", "-Dorg.apache.logging.log4j.simplelog.level=INFO");
    try (JarProcess gateway = JarProcess.start(env, "--conf", conf.toString())) {
      JarProcess.Listening ports = gateway.awaitListening(30_000);
      HttpClient http = HttpClient.newHttpClient();
      String bearer = TestGateway.token("globex", "mallory");
      HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + ports.publicPort() + "/v1/client/tokens")).header("Authorization", "Bearer " + bearer)
        .header("x-request-id", "audit-issue-1").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(issued.statusCode()).isEqualTo(200);
      String admin = "http://127.0.0.1:" + ports.managementPort() + "/admin/blocks/globex/users/mallory";
      HttpResponse<String> block = http.send(HttpRequest.newBuilder(URI.create(admin))
        .header("Authorization", "Bearer " + AdminClient.SECOND).header("x-request-id", "audit-block-1")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"reason\":\"abuse report 77\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(block.statusCode()).as(block.body()).isEqualTo(200);
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(admin))
        .header("Authorization", "Bearer " + AdminClient.FIRST + "-wrong").header("x-request-id", "audit-refused-1")
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> auditLine(gateway, "audit-refused-1") != null);
      String issuance = auditLine(gateway, "audit-issue-1");
      assertThat(issuance).contains("issued").contains("mallory").contains(io.tokengateway.control.Ledger.keyHash(MINTED));
      String write = auditLine(gateway, "audit-block-1");
      assertThat(write).contains("block").contains("globex/mallory").contains("abuse report 77")
        .containsPattern("adminToken\\W+2");
      assertThat(auditLine(gateway, "audit-refused-1")).contains("invalid_token");
      for (String secret : List.of(MINTED, bearer, AdminClient.FIRST, AdminClient.SECOND, TestGateway.GLOBEX_KEY,
          TestGateway.DEFAULT_KEY)) {
        assertThat(gateway.output()).doesNotContain(secret);
      }
    }
  }

  private static String auditLine(JarProcess gateway, String requestId) {
    return gateway.output().lines().filter(line -> line.contains("audit") && line.contains("event") && line.contains(requestId))
      .findFirst().orElse(null);
  }
}
