package io.tokengateway.config;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CONTRACT §3/§4: the shipped files load; every bad value is refused naming its key. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConfigLoaderTest {

  private static final Map<String, String> ENV = Map.of("HS", "x".repeat(32));

  private static JsonObject valid() {
    return new JsonObject().put("jwt", new JsonObject().put("hmacSecretEnv", "HS")
      .put("algorithms", new JsonArray().add("HS256")));
  }

  @Test
  void theShippedFileHoldsTheContractsDefaults(Vertx vertx) {
    Map<String, String> env = Map.of("GATEWAY_JWT_JWKSURI", "https://idp.example/jwks.json");
    GatewayConfig config = await(ConfigLoader.load(vertx, "conf/gateway.yaml", env, UnaryOperator.identity()));
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().maxBodyBytes()).isEqualTo(16384);
    assertThat(config.management().port()).isEqualTo(9000);
    assertThat(config.decart().baseUrl()).isEqualTo("https://api.decart.ai");
    assertThat(config.decart().retry().maxRetries()).isEqualTo(2);
    assertThat(config.decart().circuitBreaker().resetTimeoutMs()).isEqualTo(10_000);
    assertThat(config.jwt().algorithms()).containsExactly("RS256", "ES256");
    assertThat(config.jwt().claims().tenant()).isEqualTo("tenant_id");
    assertThat(config.tenants().file()).isEqualTo("conf/tenants.yaml");
    assertThat(config.cluster().enabled()).isFalse();
  }

  @Test
  void environmentVariablesOverrideScalars() {
    Map<String, String> env = Map.of("HS", "x".repeat(32), "GATEWAY_SERVER_PORT", "8085",
      "GATEWAY_DECART_BASEURL", "http://127.0.0.1:9999", "GATEWAY_DECART_RETRY_MAXRETRIES", "0",
      "GATEWAY_CLUSTER_ENABLED", "true");
    GatewayConfig config = ConfigLoader.parse(valid(), env);
    assertThat(config.server().port()).isEqualTo(8085);
    assertThat(config.decart().baseUrl()).isEqualTo("http://127.0.0.1:9999");
    assertThat(config.decart().retry().maxRetries()).isZero();
    assertThat(config.cluster().enabled()).isTrue();
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
      Arguments.of("unknown key", valid().put("serverr", new JsonObject()), ENV, "serverr"),
      Arguments.of("unknown nested key", valid().put("server", new JsonObject().put("prot", 1)), ENV, "server.prot"),
      Arguments.of("wrong type", valid().put("server", new JsonObject().put("port", "eighty")), ENV, "server.port"),
      Arguments.of("quoted number", valid().put("server", new JsonObject().put("port", "8080")), ENV, "server.port"),
      Arguments.of("out of range", valid().put("server", new JsonObject().put("port", 70000)), ENV, "server.port"),
      Arguments.of("list for scalar", valid().put("decart", new JsonObject().put("timeoutMs", new JsonArray())), ENV,
        "decart.timeoutMs"),
      Arguments.of("no key source", new JsonObject(), ENV, "jwt.jwksUri"),
      Arguments.of("two key sources", valid().put("jwt", valid().getJsonObject("jwt").put("jwksUri", "https://x")), ENV,
        "jwt.jwksUri"),
      Arguments.of("alg none", valid().put("jwt", valid().getJsonObject("jwt").put("algorithms", new JsonArray().add("none"))),
        ENV, "jwt.algorithms"),
      Arguments.of("HS with a public key", new JsonObject().put("jwt", new JsonObject().put("publicKeyFile", "k.pem")
        .put("algorithms", new JsonArray().add("HS256"))), ENV, "jwt.algorithms"),
      Arguments.of("hmac env unset", valid(), Map.of(), "jwt.hmacSecretEnv"),
      Arguments.of("hmac secret short", valid(), Map.of("HS", "short"), "jwt.hmacSecretEnv"),
      Arguments.of("bad env override", valid(), Map.of("HS", "x".repeat(32), "GATEWAY_SERVER_PORT", "abc"), "server.port"),
      Arguments.of("bad base url", valid().put("decart", new JsonObject().put("baseUrl", "ftp://x")), ENV, "decart.baseUrl"),
      Arguments.of("half tls", valid().put("server", new JsonObject().put("tls", new JsonObject().put("certFile", "c.pem"))),
        ENV, "server.tls.keyFile"),
      Arguments.of("bad cors origin", valid().put("server", new JsonObject().put("cors", new JsonObject()
        .put("allowedOrigins", new JsonArray().add("https://x.example/path")))), ENV, "server.cors.allowedOrigins"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void aBadValueNamesItsKey(String name, JsonObject raw, Map<String, String> env, String key) {
    assertThatThrownBy(() -> ConfigLoader.parse(raw, env))
      .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(key))
      .hasMessageStartingWith(key + ": ");
  }

  @Test
  void anUnreadableFileIsAConfigError(Vertx vertx) {
    Throwable failure = failure(ConfigLoader.load(vertx, "does/not/exist.yaml", ENV, UnaryOperator.identity()));
    assertThat(failure).isInstanceOf(ConfigException.class).hasMessageContaining("does/not/exist.yaml");
  }

  @Test
  void invalidYamlIsAConfigError(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, "server: [unclosed\n");
    Throwable failure = failure(ConfigLoader.load(vertx, file.toString(), ENV, UnaryOperator.identity()));
    assertThat(failure).isInstanceOf(ConfigException.class);
  }
}
