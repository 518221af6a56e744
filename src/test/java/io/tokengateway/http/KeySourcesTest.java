package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.eventually;
import static io.tokengateway.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.JwksServer;
import io.tokengateway.testing.TestGateway;
import io.tokengateway.testing.TokenFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT §4 {@code jwt} key sources through the public API, the 503 auth_unavailable row of §6, and key
 * rotation without restart (§14): several HMAC secrets, a PEM file replaced on disk.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class KeySourcesTest {

  private static final TokenFactory RSA = TokenFactory.rs256("rsa-1");
  private static final TokenFactory EC = TokenFactory.es256("ec-1");

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private Vertx vertx;
  private FakeDecart decart;
  private JwksServer jwks;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = fixture.decart(vertx);
    jwks = await(JwksServer.start(vertx, TokenFactory.jwks(RSA, EC)));
  }

  @AfterEach
  void stop() {
    await(jwks.close());
  }

  private TestGateway startWith(JsonObject jwt) {
    JsonObject config = TestGateway.config(decart.baseUrl()).put("jwt", jwt.put("audience", TokenFactory.AUDIENCE));
    gateway = fixture.gateway(vertx, config, TestGateway.tenants());
    return gateway;
  }

  private JsonObject jwksSource() {
    return new JsonObject().put("jwksUri", jwks.uri()).put("algorithms", new JsonArray().add("RS256").add("ES256"));
  }

  @Test
  void rs256AndEs256TokensFromAJwksAreAccepted() {
    startWith(jwksSource());
    assertThat(gateway.issue(RSA.mint(TokenFactory.claims("globex", "u1")), "{}").statusCode()).isEqualTo(200);
    assertThat(gateway.issue(EC.mint(TokenFactory.claims("globex", "u2")), "{}").statusCode()).isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(2);
  }

  @Test
  void aPemPublicKeyFileIsAccepted(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("public.pem");
    Files.writeString(pem, RSA.publicKeyPem());
    startWith(new JsonObject().put("publicKeyFile", pem.toString()).put("algorithms", new JsonArray().add("RS256")));
    assertThat(gateway.issue(RSA.mint(TokenFactory.claims("globex", "u1")), "{}").statusCode()).isEqualTo(200);
    assertProblem(gateway.issue(EC.mint(TokenFactory.claims("globex", "u1")), "{}"), 401, "invalid_token");
  }

  @Test
  void aPemFileReplacedOnDiskAppliesWithoutRestart(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("public.pem"), RSA.publicKeyPem());
    JsonObject config = TestGateway.config(decart.baseUrl()).put("jwt", new JsonObject().put("publicKeyFile", pem.toString())
      .put("audience", TokenFactory.AUDIENCE)).put("tenants", new JsonObject().put("reloadSeconds", 1));
    gateway = TestGateway.start(vertx, config, TestGateway.tenants(), TestGateway.env());
    String oldKeyToken = RSA.mint(TokenFactory.claims("globex", "u1"));
    assertThat(gateway.issue(oldKeyToken, "{}").statusCode()).isEqualTo(200);
    TokenFactory rotated = TokenFactory.rs256("rsa-rotated");
    Files.writeString(pem, rotated.publicKeyPem());
    Awaitility.await().until(() -> gateway.issue(rotated.mint(TokenFactory.claims("globex", "u2")), "{}").statusCode() == 200);
    assertProblem(gateway.issue(oldKeyToken, "{}"), 401, "invalid_token");
  }

  @Test
  void hmacSecretsRotateWithoutLoggingAnyoneOut() {
    byte[] oldSecret = TestGateway.HMAC_SECRET;
    byte[] newSecret = "the-next-secret-the-next-secret-0000000".getBytes(StandardCharsets.UTF_8);
    String oldSecretToken = TokenFactory.hs256(oldSecret).mint(TokenFactory.claims("globex", "u1"));
    String newSecretToken = TokenFactory.hs256(newSecret).mint(TokenFactory.claims("globex", "u2"));
    Map<String, String> both = TestGateway.env();
    both.put(TestGateway.HMAC_ENV, new String(newSecret, StandardCharsets.UTF_8) + ", "
      + new String(oldSecret, StandardCharsets.UTF_8));
    gateway = TestGateway.start(vertx, TestGateway.config(decart.baseUrl()), TestGateway.tenants(), both);
    assertThat(gateway.issue(oldSecretToken, "{}").statusCode()).isEqualTo(200);
    assertThat(gateway.issue(newSecretToken, "{}").statusCode()).isEqualTo(200);
    gateway.close();

    Map<String, String> newOnly = TestGateway.env();
    newOnly.put(TestGateway.HMAC_ENV, new String(newSecret, StandardCharsets.UTF_8));
    gateway = TestGateway.start(vertx, TestGateway.config(decart.baseUrl()), TestGateway.tenants(), newOnly);
    assertProblem(gateway.issue(oldSecretToken, "{}"), 401, "invalid_token");
    assertThat(gateway.issue(newSecretToken, "{}").statusCode()).isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(3);
  }

  @Test
  void anHs256TokenSignedWithThePublicKeyIsRefused() {
    startWith(jwksSource());
    String confused = TokenFactory.hs256(RSA.publicKeyPem().getBytes()).mint(
      new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", "rsa-1"), TokenFactory.claims("globex", "u1"));
    assertProblem(gateway.issue(confused, "{}"), 401, "invalid_token");
    assertThat(decart.calls()).isZero();
  }

  @Test
  void whenTheJwksIsDownKnownKeysStillWorkAndUnknownOnesAre503() {
    startWith(jwksSource());
    jwks.down(true);
    assertThat(gateway.issue(RSA.mint(TokenFactory.claims("globex", "u1")), "{}").statusCode()).isEqualTo(200);
    TokenFactory rotated = TokenFactory.rs256("rsa-2");
    HttpResponse<Buffer> response = gateway.issue(rotated.mint(TokenFactory.claims("globex", "u1")), "{}");
    assertProblem(response, 503, "auth_unavailable");
    assertThat(response.getHeader("retry-after")).isNotBlank();
    assertThat(decart.calls()).isEqualTo(1);
  }

  @Test
  void aJwksDownAtStartupLeavesTheGatewayUnreadyNotCrashed() {
    jwks.down(true);
    startWith(jwksSource());
    HttpResponse<Buffer> ready = gateway.get(gateway.managementPort(), "/health/ready", MultiMap.caseInsensitiveMultiMap());
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.bodyAsString()).contains("jwt-keys");
    assertProblem(gateway.issue(RSA.mint(TokenFactory.claims("globex", "u1")), "{}"), 503, "auth_unavailable");
    assertThat(decart.calls()).isZero();
  }

  @Test
  void aVerifiedTokenIsServedFromCacheOnlyUntilItExpires() throws Exception {
    startWith(jwksSource().put("clockSkewSeconds", 0));
    long exp = System.currentTimeMillis() / 1000 + 2;
    String shortLived = RSA.mint(TokenFactory.claims("globex", "u1").put("exp", exp));
    assertThat(gateway.issue(shortLived, "{}").statusCode()).isEqualTo(200);
    assertThat(gateway.issue(shortLived, "{}").statusCode()).as("a cache hit").isEqualTo(200);
    eventually().until(() -> System.currentTimeMillis() >= (exp + 1) * 1000);  // JWT time is the wall clock
    assertProblem(gateway.issue(shortLived, "{}"), 401, "invalid_token");
  }

  @Test
  void aCachedTokenStopsWorkingOnceItsKeyIsRotatedOut() throws Exception {
    startWith(jwksSource().put("jwksRefreshSeconds", 1));
    String token = RSA.mint(TokenFactory.claims("globex", "u1"));
    assertThat(gateway.issue(token, "{}").statusCode()).isEqualTo(200);
    int fetches = jwks.fetches();
    jwks.keys(TokenFactory.jwks(EC));
    eventually().until(() -> jwks.fetches() > fetches);
    eventually().untilAsserted(() -> assertProblem(gateway.issue(token, "{}"), 401, "invalid_token"));
  }

  @Test
  void aKeyRotatedInAtTheIdentityProviderIsAcceptedWithoutRestart() {
    startWith(jwksSource());
    TokenFactory rotated = TokenFactory.es256("ec-2");
    jwks.keys(TokenFactory.jwks(RSA, EC, rotated));
    assertThat(gateway.issue(rotated.mint(TokenFactory.claims("globex", "u1")), "{}").statusCode()).isEqualTo(200);
  }
}
