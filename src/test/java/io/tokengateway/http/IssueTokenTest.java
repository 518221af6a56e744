package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.Version;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The happy paths of CONTRACT §5: what the caller gets, and exactly what Decart receives. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class IssueTokenTest {

  private static final String DECART_ANSWER =
    "{\"apiKey\":\"ek_relayed\",  \"token\":null,\"expiresAt\":\"2026-11-27T23:00:00Z\",\"permissions\":null,\"constraints\":null}";

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    decart = fixture.decart(vertx);
    gateway = fixture.gateway(vertx);
  }

  @Test
  void relaysDecartsAnswerByteForByte() {
    decart.respond(FakeDecart.Behaviour.okBody(DECART_ANSWER));
    HttpResponse<Buffer> response = gateway.issue(token("globex", "u1"), "{\"expiresIn\":120}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo(DECART_ANSWER);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    assertThat(response.getHeader("cache-control")).isEqualTo("no-store");
    assertThat(response.getHeader("x-request-id")).matches("[0-9a-f]{32}");
  }

  @Test
  void metadataLookAlikesOfTheStampedIdsNeverReachDecart() {
    HttpResponse<Buffer> response = gateway.issue(token("globex", "u1"), "{\"metadata\":{\"TenantId\":\"acme\","
      + "\"tenant_id\":\"acme\",\"user-id\":\"admin\",\"USERID\":\"admin\",\"Session_Id\":\"forged\","
      + "\"tenant\":\"kept\",\"userIdentity\":\"kept\"}}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(decart.last().json().getJsonObject("metadata").getMap()).containsOnlyKeys("tenant", "userIdentity",
      "tenantId", "userId", "sessionId").containsEntry("tenantId", "globex").containsEntry("userId", "u1");
  }

  @Test
  void sendsOnlyTheNormalizedBodyWithTheTenantsKey() {
    HttpResponse<Buffer> response = await(gateway.post("/v1/client/tokens", token("acme", "user-7"))
      .putHeader("content-type", "application/json").putHeader("x-request-id", "req.abc-123_X")
      .sendBuffer(Buffer.buffer("{\"expiresIn\":90,\"allowedModels\":[\"mirage\"],\"allowedOrigins\":null,"
        + "\"metadata\":{\"plan\":\"pro\",\"tenantId\":\"globex\",\"userId\":\"admin\"}}")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("x-request-id")).isEqualTo("req.abc-123_X");
    FakeDecart.Recorded call = decart.last();
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/v1/client/tokens");
    assertThat(call.headers().get("x-api-key")).isEqualTo(TestGateway.ACME_KEY);
    assertThat(call.headers().get("content-type")).isEqualTo("application/json");
    assertThat(call.headers().get("user-agent")).isEqualTo("token-gateway/" + Version.VALUE);
    assertThat(call.headers().get("x-request-id")).isEqualTo("req.abc-123_X");
    assertThat(call.headers().get("authorization")).isNull();
    assertThat(call.body().toString()).isEqualTo("{\"expiresIn\":90,\"allowedModels\":[\"mirage\"],"
      + "\"allowedOrigins\":[\"https://app.acme.example\"],\"constraints\":{\"realtime\":{\"maxSessionDuration\":600}},"
      + "\"metadata\":{\"plan\":\"pro\",\"tenantId\":\"acme\",\"userId\":\"user-7\",\"sessionId\":\"s-user-7\"}}");
  }

  @Test
  void anEmptyBodyGetsTheTenantsDefaults() {
    HttpResponse<Buffer> response = gateway.issue(token("globex", "u2"), null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject sent = decart.last().json();
    assertThat(sent.getInteger("expiresIn")).isEqualTo(60);
    assertThat(sent.fieldNames()).containsExactly("expiresIn", "metadata");
    assertThat(decart.last().headers().get("x-api-key")).isEqualTo(TestGateway.GLOBEX_KEY);
  }

  @Test
  void theClientTokenEndpointReshapesTheAnswer() {
    decart.respond(FakeDecart.Behaviour.okBody(DECART_ANSWER));
    HttpResponse<Buffer> response = gateway.issue("/api/get-client-token", token("globex", "u1"), "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
      .put("clientToken", "ek_relayed").put("expiresAt", "2026-11-27T23:00:00Z"));
    assertThat(response.getHeader("cache-control")).isEqualTo("no-store");
  }

  @Test
  void aMalformedRequestIdIsReplaced() {
    HttpResponse<Buffer> response = await(gateway.post("/v1/client/tokens", token("globex", "u1"))
      .putHeader("x-request-id", "bad id with spaces").send());
    assertThat(response.getHeader("x-request-id")).matches("[0-9a-f]{32}");
    assertThat(decart.last().headers().get("x-request-id")).isEqualTo(response.getHeader("x-request-id"));
  }

  @Test
  void traceContextIsPassedOnUnchanged() {
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    await(gateway.post("/v1/client/tokens", token("globex", "u1")).putHeader("traceparent", parent)
      .putHeader("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7").send());
    assertThat(decart.last().headers().get("traceparent")).isEqualTo(parent);
    assertThat(decart.last().headers().get("tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    await(gateway.post("/v1/client/tokens", token("globex", "u1")).putHeader("traceparent", "00-not-a-trace-context").send());
    assertThat(decart.last().headers().get("traceparent")).isNull();
  }

  @Test
  void aCallerOfOneTenantNeverGetsAnotherTenantsKey() {
    gateway.issue(token("acme", "u1"), "{\"metadata\":{\"tenantId\":\"globex\"}}");
    gateway.issue(token("globex", "u1"), "{\"metadata\":{\"tenantId\":\"acme\"}}");
    assertThat(decart.received()).extracting(call -> call.headers().get("x-api-key"))
      .containsExactly(TestGateway.ACME_KEY, TestGateway.GLOBEX_KEY);
    assertThat(decart.received()).extracting(call -> call.json().getJsonObject("metadata").getString("tenantId"))
      .containsExactly("acme", "globex");
  }
}
