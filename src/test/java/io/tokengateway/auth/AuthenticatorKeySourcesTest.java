package io.tokengateway.auth;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.JwtConfig;
import io.tokengateway.testing.TokenFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Authenticator} with the fixed key sources: a PEM public key (RSA, EC) and an HMAC secret;
 * including the algorithm-confusion tokens that use the public key as an HMAC secret.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AuthenticatorKeySourcesTest {

  static final TokenFactory RSA = TokenFactory.rs256(null);
  static final TokenFactory EC = TokenFactory.es256(null);
  static final String SECRET_ENV = "SESSION_SECRET";
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private Authenticator pem(Vertx vertx, TokenFactory key) throws Exception {
    Path file = Files.writeString(dir.resolve("key.pem"), key.publicKeyPem());
    JwtConfig config = new JwtConfig(null, file.toString(), null, 300, null, null, true, List.of("RS256", "ES256"), 30,
      AuthenticatorTest.defaultClaims());
    return new Authenticator(config, await(JwtKeys.start(vertx, config, Map.of(), 0)));
  }

  private Authenticator hmac(Vertx vertx) {
    JwtConfig config = new JwtConfig(null, null, SECRET_ENV, 300, null, null, true, List.of("HS256"), 30,
      AuthenticatorTest.defaultClaims());
    Map<String, String> env = Map.of(SECRET_ENV, new String(SECRET, StandardCharsets.UTF_8));
    return new Authenticator(config, await(JwtKeys.start(vertx, config, env, 0)));
  }

  private static Future<Caller> authenticate(Authenticator authenticator, String token) {
    return authenticator.authenticate(List.of("Bearer " + token));
  }

  private static String reasonOf(Future<?> result) {
    GatewayException e = (GatewayException) failure(result);
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    return e.reason();
  }

  private static JsonObject claims() {
    return TokenFactory.claims("acme", "u1");
  }

  @Test
  void rsaPemTokenIsAccepted(Vertx vertx) throws Exception {
    assertThat(await(authenticate(pem(vertx, RSA), RSA.mint(claims()))).tenantId()).isEqualTo("acme");
  }

  @Test
  void ecPemTokenIsAccepted(Vertx vertx) throws Exception {
    assertThat(await(authenticate(pem(vertx, EC), EC.mint(claims()))).tenantId()).isEqualTo("acme");
  }

  @Test
  void hmacTokenIsAccepted(Vertx vertx) {
    Caller caller = await(authenticate(hmac(vertx), TokenFactory.hs256(SECRET).mint(claims())));
    assertThat(caller.sessionId()).isEqualTo("s-u1");
  }

  @Test
  void hs256SignedWithPemPublicKeyIsRefused(Vertx vertx) throws Exception {
    String hs256WithPublicKeyToken = TokenFactory.hs256(RSA.publicKeyPem().getBytes(StandardCharsets.US_ASCII))
      .mint(claims());
    assertThat(reasonOf(authenticate(pem(vertx, RSA), hs256WithPublicKeyToken))).isEqualTo("algorithm");
  }

  @Test
  void allowedAlgorithmWithoutKeyOfThatTypeIsRefused(Vertx vertx) throws Exception {
    assertThat(reasonOf(authenticate(pem(vertx, RSA), EC.mint(claims())))).isEqualTo("algorithm");
  }

  @Test
  void tokenSignedByAnotherKeyIsRefused(Vertx vertx) throws Exception {
    String otherKeyToken = TokenFactory.rs256("someone-else").mint(claims());
    assertThat(reasonOf(authenticate(pem(vertx, RSA), otherKeyToken))).isEqualTo("signature");
  }

  @Test
  void hmacConfigRefusesPublicKeyAlgorithmsAndWrongSecrets(Vertx vertx) {
    Authenticator hmac = hmac(vertx);
    assertThat(reasonOf(authenticate(hmac, RSA.mint(claims())))).isEqualTo("algorithm");
    String noneAlgToken = TokenFactory.hs256(SECRET).mint(new JsonObject().put("alg", "none"), claims());
    assertThat(reasonOf(authenticate(hmac, noneAlgToken))).isEqualTo("algorithm");
    String wrongSecretToken = TokenFactory.hs256("another-secret-another-secret-0000".getBytes(StandardCharsets.UTF_8))
      .mint(claims());
    assertThat(reasonOf(authenticate(hmac, wrongSecretToken))).isEqualTo("signature");
  }
}
