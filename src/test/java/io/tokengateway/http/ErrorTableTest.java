package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.Canary;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.TestGateway;
import io.tokengateway.testing.TokenFactory;
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

/**
 * One test per row of CONTRACT §6 that the request path produces without retries: status, code,
 * problem+json, and for every refusal that the fake Decart saw no call.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ErrorTableTest {

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    decart = fixture.decart(vertx);
    gateway = fixture.gateway(vertx);
  }

  private void assertNoUpstreamCall() {
    assertThat(decart.calls()).as("upstream calls").isZero();
  }

  @Test
  void malformedJsonIs400() {
    assertProblem(gateway.issue(token("acme", "u1"), "{\"expiresIn\": 60,"), 400, "malformed_json");
    assertProblem(gateway.issue(token("acme", "u1"), "[1,2]"), 400, "malformed_json");
    assertProblem(gateway.issue(token("acme", "u1"), "{\"expiresIn\":60,\"expiresIn\":61}"), 400, "malformed_json");
    assertNoUpstreamCall();
  }

  @Test
  void missingTokenIs401WithBearerChallenge() {
    HttpResponse<Buffer> response = gateway.issue(null, "{}");
    assertProblem(response, 401, "missing_token");
    assertThat(response.getHeader("www-authenticate")).isEqualTo("Bearer");
    HttpResponse<Buffer> basic = await(gateway.post("/v1/client/tokens", null)
      .putHeader("authorization", "Basic dXNlcjpwYXNz").send());
    assertProblem(basic, 401, "missing_token");
    assertNoUpstreamCall();
  }

  @Test
  void invalidTokenIs401WithInvalidTokenChallenge() {
    String otherKey = TokenFactory.hs256("another-secret-another-secret-another-secret".getBytes())
      .mint(TokenFactory.claims("acme", "u1"));
    HttpResponse<Buffer> response = gateway.issue(otherKey, "{}");
    JsonObject problem = assertProblem(response, 401, "invalid_token");
    assertThat(response.getHeader("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    assertThat(problem.encode()).doesNotContain(otherKey);
    assertNoUpstreamCall();
  }

  @Test
  void unknownTenantIs403() {
    assertProblem(gateway.issue(token("initech", "u1"), "{}"), 403, "unknown_tenant");
    assertNoUpstreamCall();
  }

  @Test
  void disabledTenantIs403() {
    assertProblem(gateway.issue(token("off", "u1"), "{}"), 403, "tenant_disabled");
    assertNoUpstreamCall();
  }

  @Test
  void modelOutsideTheTenantsListIs403() {
    assertProblem(gateway.issue(token("acme", "u1"), "{\"allowedModels\":[\"mirage\",\"other\"]}"),
      403, "model_not_allowed");
    assertNoUpstreamCall();
  }

  @Test
  void originOutsideTheTenantsListIs403() {
    assertProblem(gateway.issue(token("acme", "u1"), "{\"allowedOrigins\":[\"https://evil.example\"]}"),
      403, "origin_not_allowed");
    HttpResponse<Buffer> fromBrowser = await(gateway.post("/v1/client/tokens", token("acme", "u1"))
      .putHeader("origin", "https://evil.example").send());
    assertProblem(fromBrowser, 403, "origin_not_allowed");
    assertNoUpstreamCall();
  }

  @Test
  void expiresInAboveTheTenantsMaximumIs403() {
    assertProblem(gateway.issue(token("acme", "u1"), "{\"expiresIn\":301}"), 403, "policy_violation");
    assertProblem(gateway.issue(token("acme", "u1"),
      "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":601}}}"), 403, "policy_violation");
    assertNoUpstreamCall();
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() {
    assertProblem(gateway.issue("/v2/nothing", token("acme", "u1"), "{}"), 404, "not_found");
    HttpResponse<Buffer> get = gateway.get(gateway.port(), "/v1/client/tokens", io.vertx.core.MultiMap.caseInsensitiveMultiMap());
    assertProblem(get, 405, "method_not_allowed");
    assertThat(get.getHeader("allow")).isEqualTo("POST");
    assertNoUpstreamCall();
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"metadata\":{\"pad\":\"" + "x".repeat(17_000) + "\"}}";
    assertProblem(gateway.issue(token("acme", "u1"), big), 413, "payload_too_large");
    assertNoUpstreamCall();
  }

  @Test
  void nonJsonBodyIs415() {
    HttpResponse<Buffer> response = await(gateway.post("/v1/client/tokens", token("acme", "u1"))
      .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("expiresIn=60")));
    assertProblem(response, 415, "unsupported_media_type");
    assertNoUpstreamCall();
  }

  @Test
  void wrongTypesAre422WithFieldErrors() {
    for (String body : new String[] {"{\"expiresIn\":60.5}", "{\"expiresIn\":6e1}", "{\"expiresIn\":\"60\"}",
      "{\"expiresIn\":0}", "{\"expiresIn\":3601}", "{\"allowedModels\":[]}", "{\"surprise\":1}"}) {
      JsonObject problem = assertProblem(gateway.issue(token("globex", "u1"), body), 422, "validation_failed");
      assertThat(problem.getJsonArray("errors")).as(body).isNotEmpty();
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isNotBlank();
    }
    assertNoUpstreamCall();
  }

  @Test
  void decart422IsRelayedAsUpstreamRejected() {
    JsonArray detail = new JsonArray().add(new JsonObject().put("loc", new JsonArray().add("body").add("expiresIn"))
      .put("msg", "bad").put("type", "value_error"));
    decart.respond(FakeDecart.Behaviour.status(422, new JsonObject().put("detail", detail).encode()));
    JsonObject problem = assertProblem(gateway.issue(token("globex", "u1"), "{}"), 422, "upstream_rejected");
    assertThat(problem.getJsonArray("upstreamDetail")).isEqualTo(detail);
    assertThat(decart.calls()).isEqualTo(1);
  }

  @Test
  void upstreamDetailKeepsOnlyLocMsgAndTypeOfEachEntry() {
    JsonObject echoing = new JsonObject().put("loc", new JsonArray().add("body").add("metadata"))
      .put("msg", "bad").put("type", "value_error").put("input", new JsonObject().put("userId", "u1"))
      .put("ctx", new JsonObject().put("error", "secret-ish")).put("url", "https://errors.pydantic.dev/x");
    JsonArray detail = new JsonArray().add(echoing).add("a bare string entry");
    decart.respond(FakeDecart.Behaviour.status(422, new JsonObject().put("detail", detail).encode()));
    JsonObject problem = assertProblem(gateway.issue(token("globex", "u1"), "{\"metadata\":{\"x\":1}}"), 422,
      "upstream_rejected");
    assertThat(problem.getJsonArray("upstreamDetail")).isEqualTo(new JsonArray().add(new JsonObject()
      .put("loc", new JsonArray().add("body").add("metadata")).put("msg", "bad").put("type", "value_error")));
    assertThat(problem.encode()).doesNotContain("u1\"").doesNotContain("secret-ish").doesNotContain("pydantic");
  }

  @Test
  void decart401And403AreUpstreamAuthFailed() {
    decart.respond(FakeDecart.Behaviour.status(401, "{\"detail\":\"Invalid API key\"}"));
    assertProblem(gateway.issue(token("globex", "u1"), "{}"), 502, "upstream_auth_failed");
    decart.respond(FakeDecart.Behaviour.status(403, "{\"detail\":\"Cannot create client token from a client token\"}"));
    JsonObject problem = assertProblem(gateway.issue(token("globex", "u1"), "{}"), 502, "upstream_auth_failed");
    assertThat(problem.encode()).doesNotContain(TestGateway.GLOBEX_KEY);
  }

  @Test
  void anAnswerThatIsNotAClientTokenIs502AndNeverRelayed() {
    for (String body : new String[] {"not json", "{\"apiKey\":\"dct_account_key_leak\",\"expiresAt\":\"x\"}",
      "{\"apiKey\":\"ek_ok\"}", "[]"}) {
      decart.respond(FakeDecart.Behaviour.okBody(body));
      HttpResponse<Buffer> response = gateway.issue(token("globex", "u1"), "{}");
      assertProblem(response, 502, "upstream_error");
      assertThat(response.bodyAsString()).doesNotContain("dct_account_key_leak");
    }
  }

  @Test
  void redirectsAreNeverFollowed(Vertx vertx) {
    Canary canary = await(Canary.start(vertx));
    for (int status : new int[] {303, 307}) {
      decart.respond(FakeDecart.Behaviour.redirect(status, canary.baseUrl() + "/v1/client/tokens"));
      assertProblem(gateway.issue(token("globex", "u1"), "{}"), 502, "upstream_error");
    }
    assertThat(canary.calls()).isZero();
    await(canary.close());
  }
}
