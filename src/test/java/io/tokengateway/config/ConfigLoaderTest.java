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
import org.junit.jupiter.params.provider.ValueSource;

/** CONTRACT §3/§4: the shipped files load; every bad value is refused naming its key. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConfigLoaderTest {

  private static final Map<String, String> ENV = Map.of("HS", "x".repeat(32));

  private static JsonObject valid() {
    return new JsonObject().put("jwt", new JsonObject().put("hmacSecretEnv", "HS")
      .put("algorithms", new JsonArray().add("HS256")).put("audience", "token-gateway"));
  }

  private static JsonObject validJwt() {
    return valid().getJsonObject("jwt");
  }

  @Test
  void theShippedFileHoldsTheContractsDefaults(Vertx vertx) {
    Map<String, String> env = Map.of("GATEWAY_JWT_JWKSURI", "https://idp.example/jwks.json",
      "GATEWAY_JWT_AUDIENCE", "token-gateway");
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
      Arguments.of("audience unset", valid().put("jwt", without(validJwt(), "audience")), ENV, "jwt.audience"),
      Arguments.of("audience misspelt", valid().put("jwt", without(validJwt(), "audience").put("audiance", "x")), ENV,
        "jwt.audiance"),
      Arguments.of("audience and any audience", valid().put("jwt", validJwt().put("allowAnyAudience", true)), ENV,
        "jwt.allowAnyAudience"),
      Arguments.of("plain http jwks on another host", jwks("http://idp.example/jwks.json"), ENV, "jwt.jwksUri"),
      Arguments.of("plain http jwks on a loopback look-alike", jwks("http://127.0.0.1.evil.example/jwks"), ENV,
        "jwt.jwksUri"),
      Arguments.of("jwks without a host", jwks("https:///jwks.json"), ENV, "jwt.jwksUri"),
      Arguments.of("jwks not a URI", jwks("https://idp example/jwks"), ENV, "jwt.jwksUri"),
      Arguments.of("jwks over ftp", jwks("ftp://idp.example/jwks.json"), ENV, "jwt.jwksUri"),
      Arguments.of("bad env override", valid(), Map.of("HS", "x".repeat(32), "GATEWAY_SERVER_PORT", "abc"), "server.port"),
      Arguments.of("bad base url", valid().put("decart", new JsonObject().put("baseUrl", "ftp://x")), ENV, "decart.baseUrl"),
      Arguments.of("cleartext base url off loopback", valid().put("decart", new JsonObject()
        .put("baseUrl", "http://api.decart.ai")), ENV, "decart.baseUrl"),
      Arguments.of("cleartext base url to a name", valid().put("decart", new JsonObject()
        .put("baseUrl", "http://decart-proxy.internal:8080")), ENV, "decart.baseUrl"),
      Arguments.of("half tls", valid().put("server", new JsonObject().put("tls", new JsonObject().put("certFile", "c.pem"))),
        ENV, "server.tls.keyFile"),
      Arguments.of("bad cors origin", valid().put("server", new JsonObject().put("cors", new JsonObject()
        .put("allowedOrigins", new JsonArray().add("https://x.example/path")))), ENV, "server.cors.allowedOrigins"));
  }

  private static JsonObject without(JsonObject object, String key) {
    object.remove(key);
    return object;
  }

  private static JsonObject jwks(String uri) {
    return new JsonObject().put("jwt", new JsonObject().put("jwksUri", uri).put("audience", "token-gateway"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://idp.example/jwks.json", "http://127.0.0.1:8081/jwks", "http://127.9.9.9/jwks",
    "http://localhost:8081/jwks", "http://[::1]:8081/jwks", "HTTPS://IDP.EXAMPLE/jwks"})
  void jwksUriOverHttpsOrToLoopbackIsAccepted(String uri) {
    assertThat(ConfigLoader.parse(jwks(uri), ENV).jwt().jwksUri()).isEqualTo(uri);
  }

  @Test
  void devStyleAnyAudienceIsAccepted() {
    JsonObject raw = valid().put("jwt", without(validJwt(), "audience").put("allowAnyAudience", true));
    assertThat(ConfigLoader.parse(raw, ENV).jwt().allowAnyAudience()).isTrue();
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

  @Test
  void cleartextBaseUrlsAreAllowedOnlyToLoopback() {
    for (String url : new String[] {"http://127.0.0.1:9999", "http://127.1.2.3", "http://localhost:8080/x",
      "http://[::1]:9000", "https://api.decart.ai", "https://10.0.0.1"}) {
      JsonObject raw = valid().put("decart", new JsonObject().put("baseUrl", url));
      assertThat(ConfigLoader.parse(raw, ENV).decart().baseUrl()).as(url).isEqualTo(url);
    }
    assertThat(Loopback.isLoopback("10.0.0.1")).isFalse();
    assertThat(Loopback.isLoopback("127.0.0.1.nip.io")).isFalse();
  }
}
