package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP surface's edges (CONTRACT §5, §6): heads, framing, protocols, CORS, headers. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HttpEdgesTest {

  private static final String ALLOWED_ORIGIN = "https://app.acme.example";

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = fixture.decart(vertx);
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("server").put("requestReadTimeoutMs", 500)
      .put("cors", new JsonObject().put("allowedOrigins", new JsonArray().add(ALLOWED_ORIGIN)));
    gateway = fixture.gateway(vertx, config, TestGateway.tenants());
  }

  @Test
  void aHeadOverTheLimitIs431ProblemJson() {
    String raw = await(RawHttp.exchange(vertx, gateway.port(), 1, 5000,
      "POST /v1/client/tokens HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(9000) + "\r\n\r\n"));
    assertThat(raw).startsWith("HTTP/1.1 431");
    assertThat(raw).contains("application/problem+json").contains("\"code\":\"headers_too_large\"");
    assertThat(decart.calls()).isZero();
  }

  @Test
  void cleartextHttp2IsRefused() {
    String preface = await(RawHttp.exchange(vertx, gateway.port(), 1, 2000, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    // An h2c server would answer the preface with a binary SETTINGS frame; an HTTP/1.1-only one
    // answers with a text status line refusing it (Vert.x: "HTTP/2.0 501") or closes.
    assertThat(preface).satisfiesAnyOf(raw -> assertThat(raw).isEmpty(),
      raw -> assertThat(raw).matches("(?s)HTTP/\\S+ [45]\\d\\d .*"));
    String upgrade = await(RawHttp.exchange(vertx, gateway.port(), 1, 2000,
      "GET /v1/client/tokens HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"));
    assertThat(upgrade).doesNotStartWith("HTTP/1.1 101");
  }

  @Test
  void aBodyTricklingInTooSlowlyIs408() {
    String token = token("globex", "u1");
    String raw = await(RawHttp.exchange(vertx, gateway.port(), 300, 5000,
      "POST /v1/client/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"expi", "res", "In\"", ":", "60"));
    assertThat(raw).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
    assertThat(decart.calls()).isZero();
  }

  @Test
  void aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsRead() {
    String raw = await(RawHttp.exchange(vertx, gateway.port(), 1, 3000,
      "POST /v1/client/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token("globex", "u1")
        + "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"));
    assertThat(raw).startsWith("HTTP/1.1 413").contains("\"code\":\"payload_too_large\"");
    assertThat(decart.calls()).isZero();
  }

  @Test
  void managementPathsAre404OnThePublicPort() {
    for (String path : new String[] {"/health/live", "/health/ready", "/metrics", "/admin/issuance"}) {
      HttpResponse<Buffer> response = gateway.get(gateway.port(), path, MultiMap.caseInsensitiveMultiMap());
      assertProblem(response, 404, "not_found");
    }
    assertThat(gateway.get(gateway.managementPort(), "/health/live", MultiMap.caseInsensitiveMultiMap())
      .statusCode()).isEqualTo(200);
  }

  @Test
  void readinessIsUpOnceListening() {
    HttpResponse<Buffer> ready = gateway.get(gateway.managementPort(), "/health/ready", MultiMap.caseInsensitiveMultiMap());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  void corsPreflightForAnAllowedOrigin() {
    HttpResponse<Buffer> preflight = await(gateway.post("/v1/client/tokens", null).method(io.vertx.core.http.HttpMethod.OPTIONS)
      .putHeader("origin", ALLOWED_ORIGIN).putHeader("access-control-request-method", "POST")
      .putHeader("access-control-request-headers", "authorization, content-type").send());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("access-control-allow-origin")).isEqualTo(ALLOWED_ORIGIN);
    assertThat(preflight.getHeader("access-control-allow-methods")).contains("POST");
    assertThat(preflight.getHeader("access-control-allow-headers")).contains("authorization");
    HttpResponse<Buffer> actual = await(gateway.post("/v1/client/tokens", token("acme", "u1"))
      .putHeader("origin", ALLOWED_ORIGIN).send());
    assertThat(actual.statusCode()).isEqualTo(200);
    assertThat(actual.getHeader("access-control-allow-origin")).isEqualTo(ALLOWED_ORIGIN);
    assertThat(actual.getHeader("access-control-expose-headers")).contains("x-request-id");
  }

  @Test
  void corsAnswersAndRefusalsExposeTheHeadersBrowserCodeReads() {
    String exposed = "x-request-id, Retry-After, RateLimit, RateLimit-Policy, Session-Lease";
    HttpResponse<Buffer> issued = await(gateway.post("/v1/client/tokens", token("acme", "u1"))
      .putHeader("origin", ALLOWED_ORIGIN).send());
    assertThat(issued.statusCode()).isEqualTo(200);
    assertThat(issued.getHeader("access-control-expose-headers")).isEqualTo(exposed);
    HttpResponse<Buffer> refused = await(gateway.post("/v1/client/tokens", null).putHeader("origin", ALLOWED_ORIGIN).send());
    assertProblem(refused, 401, "missing_token");
    assertThat(refused.getHeader("access-control-expose-headers")).isEqualTo(exposed);
  }

  @Test
  void corsIgnoresOtherOrigins() {
    HttpResponse<Buffer> preflight = await(gateway.post("/v1/client/tokens", null).method(io.vertx.core.http.HttpMethod.OPTIONS)
      .putHeader("origin", "https://evil.example").putHeader("access-control-request-method", "POST").send());
    assertProblem(preflight, 403, "origin_not_allowed");
    assertThat(preflight.getHeader("access-control-allow-origin")).isNull();
    HttpResponse<Buffer> actual = await(gateway.post("/v1/client/tokens", token("globex", "u1"))
      .putHeader("origin", "https://evil.example").send());
    assertThat(actual.getHeader("access-control-allow-origin")).isNull();
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() {
    HttpResponse<Buffer> response = await(gateway.post("/v1/client/tokens", null)
      .putHeader("authorization", "bearer " + token("globex", "u1")).send());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void twoAuthorizationHeadersAreRefused() {
    HttpResponse<Buffer> response = await(gateway.post("/v1/client/tokens", null)
      .putHeader("authorization", java.util.List.of("Bearer " + token("globex", "u1"), "Bearer " + token("acme", "u1")))
      .send());
    assertProblem(response, 401, "invalid_token");
    assertThat(decart.calls()).isZero();
  }

  @Test
  void aTokenInTheQueryStringIsIgnored() {
    HttpResponse<Buffer> response = await(gateway.post("/v1/client/tokens?access_token=" + token("globex", "u1"), null).send());
    assertProblem(response, 401, "missing_token");
    assertThat(decart.calls()).isZero();
  }
}
