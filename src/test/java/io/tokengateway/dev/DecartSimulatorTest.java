package io.tokengateway.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.decart.DecartRules;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The simulator answers like Decart (CONTRACT §2) over real HTTP on a loopback port. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DecartSimulatorTest {

  private static final String ACCOUNT_KEY = "dct_simulator_test";

  private Vertx vertx;
  private WebClient client;
  private DecartSimulator simulator;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.simulator = startWith(new DecartSimulator.Options("127.0.0.1", 0, Set.of(ACCOUNT_KEY), 0, 0.0));
  }

  @Test
  void mintsAFreshClientKeyExpiringAfterExpiresIn() {
    Instant before = Instant.now();
    HttpResponse<Buffer> response = post(simulator, ACCOUNT_KEY, "{\"expiresIn\":120,\"allowedModels\":[\"mirage\"]}");
    Instant after = Instant.now();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("apiKey")).matches("ek_[A-Za-z0-9_-]{32,}");
    assertThat(body.containsKey("token")).isTrue();
    assertThat(body.getValue("token")).isNull();
    assertThat(Instant.parse(body.getString("expiresAt")))
      .isBetween(before.plusSeconds(119), after.plusSeconds(121));
    assertThat(body.getJsonObject("permissions").getJsonArray("allowedModels")).containsExactly("mirage");
    assertThat(body.getValue("constraints")).isNull();
    assertThat(simulator.requests()).isEqualTo(1);
  }

  @Test
  void emptyBodyGetsTheDefaultSixtySecondsAndEachCallANewKey() {
    JsonObject first = post(simulator, ACCOUNT_KEY, "").bodyAsJsonObject();
    JsonObject second = post(simulator, ACCOUNT_KEY, "").bodyAsJsonObject();

    Duration lifetime = Duration.between(Instant.now(), Instant.parse(first.getString("expiresAt")));
    assertThat(lifetime).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
    assertThat(first.getValue("permissions")).isNull();
    assertThat(first.getString("apiKey")).isNotEqualTo(second.getString("apiKey"));
  }

  @Test
  void echoesConstraints() {
    JsonObject body = post(simulator, ACCOUNT_KEY,
      "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":30}},\"metadata\":{\"a\":1}}").bodyAsJsonObject();

    assertThat(body.getJsonObject("constraints"))
      .isEqualTo(new JsonObject().put("realtime", new JsonObject().put("maxSessionDuration", 30)));
  }

  @Test
  void missingOrUnknownKeyIs401() {
    assertDetail(post(simulator, null, "{}"), 401);
    assertDetail(post(simulator, "dct_someone_else", "{}"), 401);
  }

  @Test
  void anyNonClientKeyIsAcceptedWhenNoKeysAreListed() {
    DecartSimulator open = startWith(DecartSimulator.Options.defaults());

    assertThat(post(open, "dct_anything", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void clientKeyIs403() {
    HttpResponse<Buffer> response = post(simulator, "ek_abc", "{}");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("detail"))
      .isEqualTo("Cannot create client token from a client token");
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
      Arguments.of("{\"expiresIn\":0}", "[\"body\",\"expiresIn\"]", "greater_than_equal"),
      Arguments.of("{\"expiresIn\":3601}", "[\"body\",\"expiresIn\"]", "less_than_equal"),
      Arguments.of("{\"expiresIn\":60.5}", "[\"body\",\"expiresIn\"]", "int_from_float"),
      Arguments.of("{\"expiresIn\":\"60\"}", "[\"body\",\"expiresIn\"]", "int_type"),
      Arguments.of("{\"allowedModels\":" + models(21) + "}", "[\"body\",\"allowedModels\"]", "too_long"),
      Arguments.of("{\"allowedModels\":\"mirage\"}", "[\"body\",\"allowedModels\"]", "list_type"),
      Arguments.of("{\"allowedOrigins\":[\"https://app.example/path\"]}", "[\"body\",\"allowedOrigins\",0]", "value_error"),
      Arguments.of("{\"allowedOrigins\":[\"app.example\"]}", "[\"body\",\"allowedOrigins\",0]", "value_error"),
      Arguments.of("{\"constraints\":{\"realtime\":{\"maxSessionDuration\":5}}}",
        "[\"body\",\"constraints\",\"realtime\",\"maxSessionDuration\"]", "greater_than_equal"),
      Arguments.of("{\"metadata\":[1]}", "[\"body\",\"metadata\"]", "dict_type"),
      Arguments.of("[]", "[\"body\"]", "model_attributes_type"),
      Arguments.of("{not json", "[\"body\",0]", "json_invalid"));
  }

  @ParameterizedTest
  @MethodSource("invalidBodies")
  void violationsAre422InTheFastApiEnvelope(String body, String loc, String type) {
    HttpResponse<Buffer> response = post(simulator, ACCOUNT_KEY, body);

    assertThat(response.statusCode()).isEqualTo(422);
    JsonObject entry = response.bodyAsJsonObject().getJsonArray("detail").getJsonObject(0);
    assertThat(entry.getJsonArray("loc")).isEqualTo(new JsonArray(loc));
    assertThat(entry.getString("type")).isEqualTo(type);
    assertThat(entry.getString("msg")).isNotBlank();
  }

  @Test
  void validEdgesPass() {
    String body = "{\"expiresIn\":3600,\"allowedModels\":" + models(20) + ",\"allowedOrigins\":"
      + "[\"https://app.example\",\"http://localhost:5173\"],\"constraints\":{\"realtime\":{\"maxSessionDuration\":10}}}";

    assertThat(post(simulator, ACCOUNT_KEY, body).statusCode()).isEqualTo(200);
  }

  @Test
  void latencyIsHonoured() {
    DecartSimulator slow = startWith(new DecartSimulator.Options("127.0.0.1", 0, Set.of(), 300, 0.0));

    long start = System.nanoTime();
    HttpResponse<Buffer> response = post(slow, ACCOUNT_KEY, "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void errorRatioOneAnswersEveryCall500() {
    DecartSimulator failing = startWith(new DecartSimulator.Options("127.0.0.1", 0, Set.of(), 0, 1.0));

    assertThat(post(failing, ACCOUNT_KEY, "{}").statusCode()).isEqualTo(500);
    assertThat(post(failing, ACCOUNT_KEY, "{}").statusCode()).isEqualTo(500);
    assertThat(failing.requests()).isEqualTo(2);
  }

  @Test
  void otherPathsAre404AndOtherMethods405() {
    HttpResponse<Buffer> notFound = client.postAbs(simulator.baseUrl() + "/v1/other").send().await();
    HttpResponse<Buffer> wrongMethod = client.getAbs(simulator.baseUrl() + DecartRules.TOKEN_PATH).send().await();

    assertDetail(notFound, 404);
    assertDetail(wrongMethod, 405);
    assertThat(simulator.requests()).isZero();
  }

  @Test
  void optionsParseFromTheCommandLine() {
    DecartSimulator.Options options = DecartSimulator.Options.fromArgs(
      "--port", "9123", "--latency-ms", "40", "--error-ratio", "0.25", "--host", "0.0.0.0", "--api-key", "dct_a");

    assertThat(options).isEqualTo(new DecartSimulator.Options("0.0.0.0", 9123, Set.of("dct_a"), 40, 0.25));
  }

  private DecartSimulator startWith(DecartSimulator.Options options) {
    return DecartSimulator.start(vertx, options).await();
  }

  private HttpResponse<Buffer> post(DecartSimulator target, String apiKey, String body) {
    HttpRequest<Buffer> request = client.postAbs(target.baseUrl() + DecartRules.TOKEN_PATH)
      .putHeader("content-type", "application/json");
    if (apiKey != null) {
      request.putHeader("x-api-key", apiKey);
    }
    return request.sendBuffer(Buffer.buffer(body)).await();
  }

  private static void assertDetail(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject().getString("detail")).isNotBlank();
  }

  private static String models(int count) {
    JsonArray models = new JsonArray();
    for (int i = 0; i < count; i++) {
      models.add("model-" + i);
    }
    return models.encode();
  }
}
