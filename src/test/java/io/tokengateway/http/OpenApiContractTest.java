package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengateway.ErrorCode;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.FakeDecart.Behaviour;
import io.tokengateway.testing.OpenApiDocument;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §15 {@code GET /openapi.yaml}: the document served is well-formed OpenAPI 3.1, names every row of
 * the error table under its status, and stays true: real answers of a real gateway — the 200s and each error
 * row this build can provoke — are validated against it (status, body schema, documented headers).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class OpenApiContractTest {

  static final String TOKENS = "/v1/client/tokens";
  static final String CLIENT_TOKEN = "/api/get-client-token";
  static final String APP_ORIGIN = "https://app.acme.example";

  static final String ADMIN_ENV = "TEST_ADMIN_TOKENS";
  static final String ADMIN_TOKEN = "admin-token-for-the-openapi-test-0123456789";

  private Vertx vertx;
  private JsonObject config;
  private JsonObject tenants;
  private FakeDecart decart;
  private TestGateway gateway;
  private WebClient client;
  private final OpenApiDocument document = OpenApiDocument.load();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
    config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("server").put("requestReadTimeoutMs", 1_000)  // every other request is read well within it
      .put("cors", new JsonObject().put("allowedOrigins", new JsonArray().add(APP_ORIGIN)));
    // One call in flight (so a second concurrent call is refused), a breaker that never opens. The hanging call holds
    // the slot until its timeout: 2 s, not a few hundred ms, so it still holds it when the second call comes.
    config.getJsonObject("decart").put("timeoutMs", 2000).put("deadlineMs", 4000).put("maxInFlight", 1)
      .put("retry", new JsonObject().put("maxRetries", 0))
      .put("circuitBreaker", new JsonObject().put("failureThreshold", 1000));
    tenants = TestGateway.tenants();
    tenants.getJsonObject("tenants").put("tight", new JsonObject().put("rateLimit",
      new JsonObject().put("perUserPerMinute", 1)));
    gateway = TestGateway.start(vertx, config, tenants, TestGateway.env());
    client = WebClient.create(vertx);
  }

  /** The same gateway with changed config or tenants, for the rows that need them. */
  private void restart(Map<String, String> env) {
    gateway.close();
    gateway = TestGateway.start(vertx, config, tenants, env);
  }

  @AfterEach
  void stop() {
    client.close();
    gateway.close();
    await(decart.close());
  }

  @Test
  void theServedDocumentIsWellFormedOpenApi31() {
    HttpResponse<Buffer> served = gateway.get(gateway.managementPort(), "/openapi.yaml", MultiMap.caseInsensitiveMultiMap());
    document.assertValid("GET", "/openapi.yaml", served);
    OpenApiDocument parsed = OpenApiDocument.parse(served.bodyAsString());
    assertThat(parsed.parserMessages()).isEmpty();
    assertThat(parsed.root().path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(parsed.root().at("/info/version").asText()).as("the build's version, filtered in").matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(gateway.get(gateway.port(), "/openapi.yaml", MultiMap.caseInsensitiveMultiMap()).statusCode())
      .as("management only").isEqualTo(404);
  }

  @Test
  void everyRowOfTheErrorTableIsDocumentedUnderItsStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      if (code == ErrorCode.INTERNAL_ERROR) {
        continue;  // not a row of the table: a bug of ours
      }
      JsonNode schema = document.root().at("/components/schemas/Problem" + code.status());
      assertThat(codesIn(schema)).as(code + " in Problem" + code.status()).contains(code.code());
    }
  }

  private static Set<String> codesIn(JsonNode problemSchema) {
    Set<String> codes = new HashSet<>();
    problemSchema.path("allOf").forEach(part -> {
      JsonNode code = part.at("/properties/code");
      code.path("enum").forEach(value -> codes.add(value.asText()));
      if (code.has("const")) {
        codes.add(code.get("const").asText());
      }
    });
    return codes;
  }

  private HttpResponse<Buffer> post(String path, String bearer, String contentType, String body, Map<String, String> headers) {
    var request = client.post(gateway.port(), "127.0.0.1", path);
    if (bearer != null) {
      request.putHeader("authorization", "Bearer " + bearer);
    }
    headers.forEach(request::putHeader);
    if (body == null) {
      return await(request.send());
    }
    return await(request.putHeader("content-type", contentType).sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> issue(String tenant, String user, String body) {
    return post(TOKENS, token(tenant, user), "application/json", body, Map.of());
  }

  /** Validates the answer against the document and checks it is the row we meant to provoke. */
  private void expect(String method, String path, HttpResponse<Buffer> response, int status, String code) {
    document.assertValid(method, path, response);
    assertThat(response.statusCode()).as(method + " " + path).isEqualTo(status);
    if (code != null) {
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo(code);
    }
  }

  @Test
  void tokenAnswersMatchTheDocument() {
    HttpResponse<Buffer> issued = issue("globex", "u-ok", "{\"expiresIn\":60}");
    expect("POST", TOKENS, issued, 200, null);
    assertThat(issued.getHeader("RateLimit")).as("documented and present").isNotNull();
    expect("POST", CLIENT_TOKEN, post(CLIENT_TOKEN, token("globex", "u-ok2"), "application/json", "{}", Map.of()), 200, null);
    expect("POST", TOKENS, post(TOKENS, token("acme", "u-empty"), null, null, Map.of()), 200, null);
  }

  @Test
  void refusalsMatchTheDocument() {
    expect("POST", TOKENS, post(TOKENS, null, null, null, Map.of()), 401, "missing_token");
    expect("POST", CLIENT_TOKEN, post(CLIENT_TOKEN, "not.a.jwt", null, null, Map.of()), 401, "invalid_token");
    expect("POST", TOKENS, issue("nobody", "u1", "{}"), 403, "unknown_tenant");
    expect("POST", TOKENS, issue("off", "u1", "{}"), 403, "tenant_disabled");
    expect("POST", TOKENS, issue("acme", "u2", "{\"allowedModels\":[\"other\"]}"), 403, "model_not_allowed");
    expect("POST", TOKENS, post(TOKENS, token("acme", "u3"), "application/json", "{}", Map.of("origin", "https://evil.example")),
      403, "origin_not_allowed");
    expect("POST", TOKENS, issue("acme", "u4", "{\"expiresIn\":3000}"), 403, "policy_violation");
    expect("POST", TOKENS, issue("acme", "u5", "{\"expiresIn\":"), 400, "malformed_json");
    expect("POST", CLIENT_TOKEN, post(CLIENT_TOKEN, token("acme", "u6"), "application/json", "{\"expiresIn\":\"60\"}", Map.of()),
      422, "validation_failed");
    expect("POST", TOKENS, post(TOKENS, token("acme", "u7"), "text/plain", "hello", Map.of()), 415, "unsupported_media_type");
    expect("POST", TOKENS, issue("acme", "u8", "{\"metadata\":{\"pad\":\"" + "x".repeat(20_000) + "\"}}"), 413, "payload_too_large");
    expect("GET", TOKENS, await(client.get(gateway.port(), "127.0.0.1", TOKENS).send()), 405, "method_not_allowed");
    expect("POST", TOKENS, issue("tight", "u9", "{}"), 200, null);
    HttpResponse<Buffer> limited = issue("tight", "u9", "{}");
    expect("POST", TOKENS, limited, 429, "rate_limited");
    assertThat(limited.getHeader("Retry-After")).isNotNull();
    assertThat(decart.calls()).as("only the 200 reached Decart").isEqualTo(1);
    expect("GET", "/no/such/path", await(client.get(gateway.port(), "127.0.0.1", "/no/such/path").send()), 404, "not_found");
  }

  @Test
  void corsPreflightsMatchTheDocument() {
    var allowed = client.request(HttpMethod.OPTIONS, gateway.port(), "127.0.0.1", TOKENS)
      .putHeader("origin", APP_ORIGIN).putHeader("access-control-request-method", "POST");
    expect("OPTIONS", TOKENS, await(allowed.send()), 204, null);
    var refused = client.request(HttpMethod.OPTIONS, gateway.port(), "127.0.0.1", CLIENT_TOKEN)
      .putHeader("origin", "https://evil.example").putHeader("access-control-request-method", "POST");
    expect("OPTIONS", CLIENT_TOKEN, await(refused.send()), 403, "origin_not_allowed");
  }

  @Test
  void upstreamFailuresMatchTheDocument() {
    decart.respond(Behaviour.status(422, "{\"detail\":[{\"loc\":[\"body\",\"expiresIn\"],\"msg\":\"bad\",\"type\":\"value_error\"}]}"));
    expect("POST", TOKENS, issue("globex", "v1", "{}"), 422, "upstream_rejected");
    decart.respond(Behaviour.status(401, "{\"detail\":\"Invalid API key\"}"));
    expect("POST", TOKENS, issue("globex", "v2", "{}"), 502, "upstream_auth_failed");
    decart.respond(Behaviour.status(500, "{\"detail\":\"boom\"}"));
    expect("POST", CLIENT_TOKEN, post(CLIENT_TOKEN, token("globex", "v3"), "application/json", "{}", Map.of()), 502, "upstream_error");
    decart.respond(Behaviour.status(429, "{}", Map.of("retry-after", "7")));
    HttpResponse<Buffer> throttled = issue("globex", "v4", "{}");
    expect("POST", TOKENS, throttled, 503, "upstream_throttled");
    assertThat(throttled.getHeader("Retry-After")).isEqualTo("7");

    decart.respond(Behaviour.hang());
    Future<HttpResponse<Buffer>> first = client.post(gateway.port(), "127.0.0.1", TOKENS)
      .putHeader("authorization", "Bearer " + token("globex", "v5")).send();
    Awaitility.await().until(() -> decart.calls() == 5);  // the first call is in flight, holding the one slot
    HttpResponse<Buffer> refused = issue("globex", "v6", "{}");
    expect("POST", TOKENS, refused, 503, "upstream_unavailable");
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    expect("POST", TOKENS, await(first), 504, "upstream_timeout");
  }

  /** Raw HTTP answers (the head limit, a body that trickles in) parsed for the validator. */
  @Test
  void answersToBrokenRequestsMatchTheDocument() {
    String tooLarge = await(RawHttp.exchange(vertx, gateway.port(), 1, 5000,
      "POST " + TOKENS + " HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(9000) + "\r\n\r\n"));
    validateRaw("POST", TOKENS, tooLarge, 431, "headers_too_large");
    String slow = await(RawHttp.exchange(vertx, gateway.port(), 2_500, 8_000,
      "POST " + TOKENS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token("acme", "w1")
        + "\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"exp", "iresIn\":60}"));
    validateRaw("POST", TOKENS, slow, 408, "request_timeout");
  }

  private void validateRaw(String method, String path, String raw, int status, String code) {
    int end = raw.indexOf("\r\n\r\n");
    assertThat(end).as("a complete head in: " + raw).isPositive();
    String[] lines = raw.substring(0, end).split("\r\n");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    Arrays.stream(lines).skip(1).map(line -> line.split(":", 2))
      .forEach(pair -> headers.add(pair[0].trim(), pair[1].trim()));
    int length = Integer.parseInt(headers.get("content-length"));
    String body = raw.substring(end + 4, end + 4 + length);
    int actual = Integer.parseInt(lines[0].split(" ")[1]);
    document.assertValid(method, path, actual, headers, body);
    assertThat(actual).isEqualTo(status);
    assertThat(new JsonObject(body).getString("code")).isEqualTo(code);
  }

  @Test
  void managementAnswersMatchTheDocument() {
    for (String path : new String[] {"/health/live", "/health/ready", "/metrics", "/admin/issuance", "/", "/openapi.yaml",
        "/dashboard/settings.json"}) {
      HttpResponse<Buffer> response = gateway.get(gateway.managementPort(), path, MultiMap.caseInsensitiveMultiMap());
      expect("GET", path, response, 200, null);
    }
    HttpClient http = vertx.createHttpClient();
    HttpClientResponse stream = await(http.request(new RequestOptions().setPort(gateway.managementPort())
      .setHost("127.0.0.1").setURI("/admin/issuance/stream")).compose(request -> request.send()));
    document.assertValid("GET", "/admin/issuance/stream", stream.statusCode(), stream.headers(), null);
    Promise<String> firstEvent = Promise.promise();
    StringBuilder pending = new StringBuilder();
    stream.handler(chunk -> {
      pending.append(chunk);
      int start = pending.indexOf("data: ");
      int end = start < 0 ? -1 : pending.indexOf("\n\n", start);
      if (end > 0) {
        firstEvent.tryComplete(pending.substring(start + "data: ".length(), end));
      }
    });
    expect("POST", TOKENS, issue("globex", "e1", "{}"), 200, null);
    String event = await(firstEvent.future());
    assertThat(document.schemaProblems("CountsMessage", event)).as(event).isEmpty();
    assertThat(document.schemaProblems("CountsMessage", "{\"node\":\"n\",\"at\":\"x\",\"tenants\":{}}"))
      .as("intervalMs is required").isNotEmpty();
    await(http.close());
  }

  private HttpResponse<Buffer> admin(HttpMethod method, String path, String bearer, String body) {
    var request = client.request(method, gateway.managementPort(), "127.0.0.1", path);
    if (bearer != null) {
      request.putHeader("authorization", "Bearer " + bearer);
    }
    if (body == null) {
      return await(request.send());
    }
    return await(request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  private void expectAdmin(HttpMethod method, String path, String bearer, String body, int status, String code) {
    expect(method.name(), path, admin(method, path, bearer, body), status, code);
  }

  @Test
  void sessionAnswersMatchTheDocument() {
    tenants.getJsonObject("tenants").put("leased", new JsonObject().put("sessions", new JsonObject().put("maxConcurrent", 1)));
    config.put("sessions", new JsonObject().put("quotaPollSeconds", 0));
    restart(TestGateway.env());
    HttpResponse<Buffer> issued = issue("leased", "s1", "{}");
    expect("POST", TOKENS, issued, 200, null);
    String lease = issued.getHeader("Session-Lease");
    assertThat(lease).isNotNull();
    HttpResponse<Buffer> full = issue("leased", "s2", "{}");
    expect("POST", TOKENS, full, 429, "session_limit");
    assertThat(full.getHeader("Retry-After")).isNotNull();
    String heartbeat = "/v1/sessions/" + lease + "/heartbeat";
    expect("POST", heartbeat, post(heartbeat, token("leased", "s1"), null, null, Map.of()), 204, null);
    String unknown = "/v1/sessions/" + "A".repeat(22) + "/heartbeat";
    expect("POST", unknown, post(unknown, token("leased", "s1"), null, null, Map.of()), 404, "lease_not_found");
    expect("GET", "/admin/sessions", gateway.get(gateway.managementPort(), "/admin/sessions",
      MultiMap.caseInsensitiveMultiMap()), 200, null);
    String release = "/v1/sessions/" + lease;
    var delete = client.delete(gateway.port(), "127.0.0.1", release).putHeader("authorization", "Bearer " + token("leased", "s1"));
    expect("DELETE", release, await(delete.send()), 204, null);
    HttpResponse<Buffer> shaped = post(CLIENT_TOKEN, token("leased", "s3"), "application/json", "{}", Map.of());
    expect("POST", CLIENT_TOKEN, shaped, 200, null);
    assertThat(shaped.bodyAsJsonObject().getString("leaseId")).isEqualTo(shaped.getHeader("Session-Lease"));
  }

  @Test
  void adminAnswersMatchTheDocument() {
    config.getJsonObject("management").put("adminTokenEnv", ADMIN_ENV);
    Map<String, String> env = TestGateway.env();
    env.put(ADMIN_ENV, ADMIN_TOKEN);
    restart(env);
    HttpResponse<Buffer> settings = admin(HttpMethod.GET, "/dashboard/settings.json", null, null);
    expect("GET", "/dashboard/settings.json", settings, 200, null);
    assertThat(settings.bodyAsJsonObject().getBoolean("adminAuth")).isTrue();
    expectAdmin(HttpMethod.GET, "/admin/issuance", null, null, 401, "missing_token");
    expectAdmin(HttpMethod.GET, "/admin/blocks", "wrong-admin-token-0123456789-0123456789", null, 401, "invalid_token");
    expect("POST", TOKENS, issue("globex", "b0", "{}"), 200, null);
    expectAdmin(HttpMethod.GET, "/admin/ledger?tenant=globex", ADMIN_TOKEN, null, 200, null);
    expectAdmin(HttpMethod.PUT, "/admin/blocks/globex", ADMIN_TOKEN, "{\"reason\":\"abuse\"}", 200, null);
    expectAdmin(HttpMethod.PUT, "/admin/blocks/acme/users/b1", ADMIN_TOKEN, "{\"reason\":\"abuse\"}", 200, null);
    expectAdmin(HttpMethod.PUT, "/admin/blocks/acme/users/b2", ADMIN_TOKEN, "{\"reason\":", 400, "malformed_json");
    expectAdmin(HttpMethod.PUT, "/admin/blocks/acme/users/b2", ADMIN_TOKEN,
      "{\"reason\":\"r\",\"until\":\"2999-01-01T00:00:00Z\"}", 422, "validation_failed");
    HttpResponse<Buffer> blocks = admin(HttpMethod.GET, "/admin/blocks", ADMIN_TOKEN, null);
    expect("GET", "/admin/blocks", blocks, 200, null);
    assertThat(blocks.bodyAsString()).contains("globex").contains("b1");
    expect("POST", TOKENS, issue("globex", "b3", "{}"), 403, "blocked");
    expectAdmin(HttpMethod.DELETE, "/admin/blocks/globex", ADMIN_TOKEN, null, 204, null);
    expectAdmin(HttpMethod.DELETE, "/admin/blocks/acme/users/b1", ADMIN_TOKEN, null, 204, null);
  }

  @Test
  void adminWritesWithoutAdminAuthenticationMatchTheDocument() {
    expectAdmin(HttpMethod.PUT, "/admin/blocks/globex", null, "{\"reason\":\"abuse\"}", 403, "admin_disabled");
    expectAdmin(HttpMethod.DELETE, "/admin/blocks/globex/users/u1", null, null, 403, "admin_disabled");
    expectAdmin(HttpMethod.GET, "/admin/blocks", null, null, 200, null);
  }

  @Test
  void theValidatorCatchesWhatTheDocumentDoesNotSay() {
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/problem+json")
      .add("x-request-id", "abc");
    String wrongCode = new JsonObject().put("type", "about:blank").put("title", "t").put("status", 403)
      .put("detail", "d").put("code", "rate_limited").put("requestId", "abc").encode();
    assertThat(document.problems("POST", TOKENS, 403, json, wrongCode)).singleElement().asString().contains("code");
    assertThat(document.problems("POST", TOKENS, 418, json, "{}")).anyMatch(p -> p.contains("418"));
    MultiMap noRetryAfter = MultiMap.caseInsensitiveMultiMap().addAll(json);
    String limited = new JsonObject(wrongCode).put("status", 429).encode();
    assertThat(document.problems("POST", TOKENS, 429, noRetryAfter, limited)).anyMatch(p -> p.contains("Retry-After"));
    MultiMap badId = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/problem+json")
      .add("x-request-id", "has spaces");
    String forbidden = new JsonObject(wrongCode).put("code", "blocked").encode();
    assertThat(document.problems("POST", TOKENS, 403, badId, forbidden)).anyMatch(p -> p.contains("x-request-id"));
    assertThat(document.problems("POST", TOKENS, 403, json, forbidden)).isEmpty();
    assertThat(document.problems("GET", "/no/such/path", 200, json, "{}")).isNotEmpty();
    assertThat(document.problems("DELETE", TOKENS, 200, json, "{}")).isNotEmpty();
  }

}
