package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT §4 {@code server.tls}: HTTPS on the public port, HTTP/2 by ALPN (a certificate made by openssl at test time). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TlsTest {

  @Test
  void httpsWithAlpnServesHttp2AndHttp11(Vertx vertx, @TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl;
    try {
      openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException missing) {
      Assumptions.abort("openssl is not installed");
      return;
    }
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();
    FakeDecart decart = await(FakeDecart.start(vertx));
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("server").put("tls", new JsonObject().put("certFile", cert.toString()).put("keyFile", key.toString()));
    try (TestGateway gateway = TestGateway.start(vertx, config, TestGateway.tenants(), TestGateway.env())) {
      for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true)
          .setVerifyHost(false).setUseAlpn(true).setProtocolVersion(version));
        HttpResponse<Buffer> response = await(client.post(gateway.port(), "127.0.0.1", "/v1/client/tokens")
          .putHeader("authorization", "Bearer " + token("globex", "u1")).send());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(version);
        assertThat(response.bodyAsJsonObject().getString("apiKey")).startsWith("ek_");
        client.close();
      }
    }
    await(decart.close());
  }
}
