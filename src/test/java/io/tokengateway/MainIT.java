package io.tokengateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.JarProcess;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.TokenFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged jar as users run it (CONTRACT §3, §8, §11): dev mode end to end, and exit 2 on bad config. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MainIT {

  private static final Pattern CURL = Pattern.compile(
    "curl -s -X POST (http://127\\.0\\.0\\.1:\\d+/v1/client/tokens) -H 'Authorization: Bearer ([^']+)'.*-d '([^']*)'");

  @Test
  void devModeMintsARealClientTokenFromThePrintedCurl() throws Exception {
    Map<String, String> env = Map.of("GATEWAY_SERVER_PORT", "0", "GATEWAY_MANAGEMENT_PORT", "0");
    try (JarProcess gateway = JarProcess.start(env, "--dev")) {
      String line = gateway.awaitLine(l -> l.startsWith("curl "), 30_000);
      assertThat(line).as(gateway.output()).isNotNull();
      // The log writer lingers between batches, so the listening line may follow the printed instructions.
      String listening = gateway.awaitLine(l -> l.contains("listening public=") && l.contains("management="), 10_000);
      assertThat(listening).as(gateway.output()).isNotNull();
      assertThat(gateway.output()).contains("DEV MODE");
      Matcher curl = CURL.matcher(line);
      assertThat(curl.find()).as(line).isTrue();
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(curl.group(1)))
        .header("Authorization", "Bearer " + curl.group(2)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(curl.group(3))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("\"apiKey\":\"ek_").contains("\"expiresAt\"");
      assertThat(response.headers().firstValue("Session-Lease")).as("tenant dev has session admission").isPresent();
      assertThat(gateway.awaitLine(l -> l.startsWith("curl -s -X DELETE ") && l.contains("/v1/sessions/"), 10_000))
        .isNotNull();
      assertVertxHttpMetrics(listening);
      gateway.terminate();
      assertThat(gateway.awaitExit(30_000)).isZero();
    }
  }

  /** CONTRACT §7: the Vert.x HTTP server and client meters of the issuance above are in the jar's /metrics. */
  private static void assertVertxHttpMetrics(String listening) throws Exception {
    Matcher management = Pattern.compile("management=(\\d+)").matcher(listening);
    assertThat(management.find()).as(listening).isTrue();
    String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + management.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(Metrics.sample(scrape, "vertx_http_server_requests_total", "code=200", "method=POST")).isEqualTo(1);
    assertThat(Metrics.sample(scrape, "vertx_http_client_responses_total", "code=200", "method=POST")).isGreaterThan(0);
    assertThat(Metrics.sample(scrape, "vertx_http_client_requests_total", "method=POST")).isGreaterThan(0);
  }

  private static final String JWKS = "jwt:\n  jwksUri: http://127.0.0.1:1/jwks\n  audience: token-gateway\n";

  private static final Map<String, String> KEYS = Map.of("DECART_API_KEY", "dct_x", "DECART_API_KEY_ACME", "dct_y");

  static Stream<Arguments> badConfigs() throws Exception {
    Path weakPem = Files.createTempFile("weak-rsa", ".pem");
    Files.writeString(weakPem, TokenFactory.rs256("weak", 1024).publicKeyPem());
    weakPem.toFile().deleteOnExit();
    Map<String, String> shortSecret = new HashMap<>(KEYS);
    shortSecret.put("SESSION_SECRETS", "s".repeat(32) + ",too-short-for-hs256");
    return Stream.of(
      Arguments.of("plain http JWKS off loopback", "jwt:\n  jwksUri: http://idp.example/jwks\n  audience: a\n", KEYS,
        "jwt.jwksUri"),
      Arguments.of("no audience", "jwt:\n  jwksUri: https://idp.example/jwks\n", KEYS, "jwt.audience"),
      Arguments.of("short HMAC secret", "jwt:\n  hmacSecretEnv: SESSION_SECRETS\n  algorithms: [HS256]\n  audience: a\n",
        shortSecret, "jwt.hmacSecretEnv"),
      Arguments.of("weak RSA public key", "jwt:\n  publicKeyFile: " + weakPem + "\n  audience: a\n", KEYS,
        "jwt.publicKeyFile"),
      Arguments.of("no JWT key source", "", Map.of("DECART_API_KEY", "dct_x"), "jwt.jwksUri"),
      Arguments.of("unknown key", JWKS + "serverr:\n  port: 1\n", Map.of(), "serverr"),
      Arguments.of("wrong type", JWKS + "decart:\n  timeoutMs: soon\n", Map.of(), "decart.timeoutMs"),
      Arguments.of("tenant key env unset", JWKS,
        Map.of("DECART_API_KEY", "dct_x"), "tenants.acme.apiKeyEnv"),
      Arguments.of("ek_ as account key", JWKS,
        Map.of("DECART_API_KEY", "ek_oops", "DECART_API_KEY_ACME", "dct_y"), "apiKeyEnv"),
      Arguments.of("admin token env unset", JWKS + "management:\n  adminTokenEnv: GW_ADMIN_TOKENS\n",
        Map.of("DECART_API_KEY", "dct_x", "DECART_API_KEY_ACME", "dct_y"), "management.adminTokenEnv"),
      Arguments.of("admin token too short", JWKS + "management:\n  adminTokenEnv: GW_ADMIN_TOKENS\n",
        Map.of("DECART_API_KEY", "dct_x", "DECART_API_KEY_ACME", "dct_y", "GW_ADMIN_TOKENS", "ek_oops"),
        "management.adminTokenEnv"),
      Arguments.of("placeholder account key", JWKS,
        Map.of("DECART_API_KEY", "dct_REPLACE_ME", "DECART_API_KEY_ACME", "dct_y"), "decart.apiKeyEnv"),
      Arguments.of("unreadable TLS certificate", JWKS + "server:\n  tls:\n    certFile: /no/such/cert.pem\n"
        + "    keyFile: /no/such/key.pem\n", KEYS, "server.tls.certFile"),
      Arguments.of("unreadable cluster trust bundle", JWKS + "cluster:\n  tls:\n    certFile: pom.xml\n"
        + "    keyFile: pom.xml\n    trustFile: /no/such/ca.pem\n", KEYS, "cluster.tls.certFile"),
      Arguments.of("unreadable JWT public key", "jwt:\n  publicKeyFile: /no/such/key.pem\n  audience: a\n", KEYS, "jwt.publicKeyFile"),
      Arguments.of("unreadable account key file", JWKS + "decart:\n  apiKeyFile: /no/such/keys\n", KEYS,
        "decart.apiKeyFile"),
      Arguments.of("unreadable tenants file", JWKS + "tenants:\n  file: /no/such/tenants.yaml\n", KEYS, "tenants.file"),
      Arguments.of("cleartext Decart off loopback", JWKS + "decart:\n  baseUrl: http://api.decart.ai\n", KEYS,
        "decart.baseUrl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void aBadConfigExitsWith2NamingTheKey(String name, String yaml, Map<String, String> env, String key,
                                        @TempDir Path dir) throws Exception {
    Path conf = dir.resolve("gateway.yaml");
    Files.writeString(conf, yaml + (yaml.contains("tenants:") ? "" : "tenants:\n  file: conf/tenants.yaml\n"));
    Map<String, String> all = new HashMap<>(env);
    all.put("GATEWAY_SERVER_PORT", "0");
    all.put("GATEWAY_MANAGEMENT_PORT", "0");
    try (JarProcess gateway = JarProcess.start(all, "--conf", conf.toString())) {
      assertThat(gateway.awaitExit(30_000)).as(gateway.output()).isEqualTo(2);
      assertThat(gateway.stderr()).hasSize(1);
      assertThat(gateway.stderr().get(0)).contains("config error").contains(key);
      assertThat(gateway.output()).doesNotContain("ek_oops").doesNotContain("too-short-for-hs256")
        .doesNotContain("\tat ").doesNotContain("REPLACE_ME");
    }
  }

  @Test
  void aMissingConfigFileExitsWith2() throws Exception {
    try (JarProcess gateway = JarProcess.start(Map.of(), "--conf", "no/such/gateway.yaml")) {
      assertThat(gateway.awaitExit(30_000)).isEqualTo(2);
      assertThat(gateway.stderr()).singleElement().asString().contains("no/such/gateway.yaml");
    }
  }
}
