package io.tokengateway.auth;

import static io.tokengateway.auth.AuthenticatorTest.claims;
import static io.tokengateway.auth.AuthenticatorTest.config;
import static io.tokengateway.auth.AuthenticatorTest.defaultClaims;
import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.ConfigException;
import io.tokengateway.config.JwtConfig;
import io.tokengateway.testing.JwksServer;
import io.tokengateway.testing.Ports;
import io.tokengateway.testing.TokenFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JwtKeys} against a real JWKS server: rotation, the rate-limited unknown-kid refetch, the last
 * good key set surviving an outage or a bad answer, a JWKS down at startup, and PEM start-up errors.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class JwtKeysTest {

  static final TokenFactory OLD_KEY = TokenFactory.rs256("2024-old");
  static final TokenFactory NEW_KEY = TokenFactory.rs256("2025-new");
  /** Short enough that a test can wait out the refetch interval. */
  static final long SHORT_INTERVAL_MS = 100;

  private Vertx vertx;
  private JwksServer jwks;
  private final List<JwtKeys> started = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    jwks = await(JwksServer.start(vertx, TokenFactory.jwks(OLD_KEY)));
  }

  @AfterEach
  void stop() {
    started.forEach(keys -> await(keys.close()));
    await(jwks.close());
  }

  private JwtKeys keys(JwtConfig config, long refetchIntervalMs) {
    JwtKeys keys = await(JwtKeys.start(vertx, config, Map.of(), refetchIntervalMs, 0));
    started.add(keys);
    return keys;
  }

  private static Future<Caller> authenticate(JwtKeys keys, JwtConfig config, String token) {
    return new Authenticator(config, keys).authenticate(List.of("Bearer " + token));
  }

  private static GatewayException rejection(Future<?> result) {
    return (GatewayException) failure(result);
  }

  @Test
  void rotatedKeyIsAcceptedWithoutRestart() {
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    jwks.keys(TokenFactory.jwks(OLD_KEY, NEW_KEY));
    assertThat(await(authenticate(keys, config, NEW_KEY.mint(claims()))).userId()).isEqualTo("u1");
    assertThat(await(authenticate(keys, config, OLD_KEY.mint(claims()))).userId()).isEqualTo("u1");
    assertThat(keys.health().getInteger("keys")).isEqualTo(2);
  }

  @Test
  void unknownKidRefetchIsRateLimited() {
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    List<Future<Caller>> attempts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      attempts.add(authenticate(keys, config, TokenFactory.rs256("ghost-" + i).mint(claims())));
    }
    attempts.forEach(attempt -> assertThat(rejection(attempt).reason()).isEqualTo("unknown_key"));
    assertThat(jwks.fetches()).as("startup fetch plus one refetch").isEqualTo(2);
  }

  @Test
  void knownKidStillVerifiesWhileJwksIsDown() {
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    jwks.down(true);
    assertThat(await(authenticate(keys, config, OLD_KEY.mint(claims()))).userId()).isEqualTo("u1");
    GatewayException e = rejection(authenticate(keys, config, NEW_KEY.mint(claims())));
    assertThat(e.code()).isEqualTo(ErrorCode.AUTH_UNAVAILABLE);
    assertThat(e.retryAfterSeconds()).isBetween(1L, 10L);
    assertThat(keys.loaded()).isTrue();
    assertThat(keys.health().getString("lastError")).contains("unreachable");
  }

  @Test
  void unusableAnswerKeepsLastGoodKeySet() {
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    jwks.rawBody("{\"keys\": [ not json");
    GatewayException e = rejection(authenticate(keys, config, NEW_KEY.mint(claims())));
    assertThat(e.code()).isEqualTo(ErrorCode.AUTH_UNAVAILABLE);
    assertThat(jwks.fetches()).isEqualTo(2);
    assertThat(await(authenticate(keys, config, OLD_KEY.mint(claims()))).userId()).isEqualTo("u1");
    assertThat(keys.health().getBoolean("loaded")).isTrue();
    assertThat(keys.health().getString("lastError")).contains("JSON");
  }

  @Test
  void jwksDownAtStartupLoadsOnceItComesUp(VertxTestContext test) {
    jwks.down(true);
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, SHORT_INTERVAL_MS);
    assertThat(keys.loaded()).isFalse();
    assertThat(keys.health().getBoolean("loaded")).isFalse();
    GatewayException e = rejection(authenticate(keys, config, OLD_KEY.mint(claims())));
    assertThat(e.code()).isEqualTo(ErrorCode.AUTH_UNAVAILABLE);
    jwks.down(false);
    vertx.setPeriodic(20, timer -> {
      if (keys.loaded()) {
        vertx.cancelTimer(timer);
        authenticate(keys, config, OLD_KEY.mint(claims())).onComplete(test.succeeding(caller -> test.verify(() -> {
          assertThat(caller.userId()).isEqualTo("u1");
          test.completeNow();
        })));
      }
    });
  }

  @Test
  void nothingListeningAtStartupIsNotLoadedButStarts() {
    JwtConfig config = config("http://127.0.0.1:" + Ports.deadPort() + "/jwks", defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    assertThat(keys.loaded()).isFalse();
    assertThat(keys.health().getString("lastError")).isNotBlank();
    GatewayException e = rejection(authenticate(keys, config, OLD_KEY.mint(claims())));
    assertThat(e.code()).isEqualTo(ErrorCode.AUTH_UNAVAILABLE);
    assertThat(e.retryAfterSeconds()).isPositive();
  }

  @Test
  void unsupportedJwksEntriesAreSkipped() {
    JsonArray entries = new JsonArray().add("not-an-object").add(new JsonObject().put("kty", "foo").put("kid", "x"))
      .add(new JsonObject().put("kty", "oct").put("kid", "sym").put("k", "c2VjcmV0"))
      .add(NEW_KEY.jwk().put("use", "enc")).add(TokenFactory.es256("p384").jwk().put("crv", "P-384"))
      .add(new JsonObject().put("kty", "RSA").put("kid", "broken").put("n", 5)).add(OLD_KEY.jwk());
    jwks.keys(new JsonObject().put("keys", entries));
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    assertThat(keys.health().getInteger("keys")).isEqualTo(1);
    assertThat(await(authenticate(keys, config, OLD_KEY.mint(claims()))).userId()).isEqualTo("u1");
    assertThat(rejection(authenticate(keys, config, NEW_KEY.mint(claims()))).reason()).isEqualTo("unknown_key");
  }

  @Test
  void refetchBringingTheSameKeysKeepsTheGenerationAndItsCachedTokens() {
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, SHORT_INTERVAL_MS);
    KeySet before = keys.current();
    VerifiedTokens cache = new VerifiedTokens(30);
    VerifiedTokens.Key token = VerifiedTokens.key(OLD_KEY.mint(claims()));
    cache.remember(token, new Caller("acme", "u1", null, AuthenticatorTest.now() + 600), Long.MIN_VALUE, before);
    assertThat(rejection(authenticate(keys, config, TokenFactory.rs256("random-kid").mint(claims()))).reason())
      .isEqualTo("unknown_key");
    assertThat(jwks.fetches()).isEqualTo(2);
    assertThat(keys.current()).isSameAs(before);
    assertThat(cache.lookup(token, keys.current(), AuthenticatorTest.now())).isNotNull();
    jwks.keys(TokenFactory.jwks(NEW_KEY));
    Awaitility.await().until(() -> rejection(authenticate(keys, config, TokenFactory.rs256("other-kid").mint(claims())))
      .reason().equals("unknown_key") && keys.current() != before);
    assertThat(cache.lookup(token, keys.current(), AuthenticatorTest.now())).as("a removed key vouches for nothing")
      .isNull();
  }

  @Test
  void knownKidUnderAnotherAlgorithmIsInvalidWithoutAFetch() {
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    TokenFactory ec = TokenFactory.es256("ec-signer");
    String es256HeaderOnRsaKidToken = ec.mint(new JsonObject().put("alg", "ES256").put("kid", OLD_KEY.kid()), claims());
    for (int i = 0; i < 3; i++) {
      GatewayException e = rejection(authenticate(keys, config, es256HeaderOnRsaKidToken));
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
      assertThat(e.reason()).isEqualTo("algorithm");
    }
    assertThat(jwks.fetches()).as("only the startup fetch").isEqualTo(1);
  }

  @Test
  void oversizedJwksIsRefusedAndTheLastGoodSetStays() {
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, SHORT_INTERVAL_MS);
    jwks.rawBody(paddedJwks(JwksFetcher.MAX_JWKS_BYTES + 1));
    assertThat(rejection(authenticate(keys, config, NEW_KEY.mint(claims()))).code()).isEqualTo(ErrorCode.AUTH_UNAVAILABLE);
    assertThat(keys.health().getString("lastError")).contains("larger than 262144 bytes");
    assertThat(await(authenticate(keys, config, OLD_KEY.mint(claims()))).userId()).isEqualTo("u1");
  }

  @Test
  void oversizedChunkedJwksIsCutOffWhileReading() {
    jwks.chunked(true);
    jwks.rawBody(paddedJwks(4 * JwksFetcher.MAX_JWKS_BYTES));
    JwtKeys keys = keys(config(jwks.uri(), defaultClaims()), SHORT_INTERVAL_MS);
    assertThat(keys.loaded()).isFalse();
    assertThat(keys.health().getString("lastError")).contains("larger than 262144 bytes");
    jwks.rawBody(paddedJwks(JwksFetcher.MAX_JWKS_BYTES - 1));
    Awaitility.await().until(keys::loaded);
  }

  @Test
  void jwksWithMoreThanAHundredKeysIsRefused() {
    JsonArray many = new JsonArray();
    for (int i = 0; i <= JwksFetcher.MAX_JWKS_KEYS; i++) {
      many.add(OLD_KEY.jwk().put("kid", "k" + i));
    }
    jwks.keys(new JsonObject().put("keys", many));
    JwtKeys keys = keys(config(jwks.uri(), defaultClaims()), JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    assertThat(keys.loaded()).isFalse();
    assertThat(keys.health().getString("lastError")).contains("more than 100 keys");
  }

  @Test
  void weakRsaJwkIsSkippedAndTheOthersServe() {
    TokenFactory weak = TokenFactory.rs256("weak-1024", 1024);
    jwks.keys(TokenFactory.jwks(weak, OLD_KEY));
    JwtConfig config = config(jwks.uri(), defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    assertThat(keys.health().getInteger("keys")).isEqualTo(1);
    assertThat(rejection(authenticate(keys, config, weak.mint(claims()))).reason()).isEqualTo("unknown_key");
    assertThat(await(authenticate(keys, config, OLD_KEY.mint(claims()))).userId()).isEqualTo("u1");
  }

  @Test
  void okpEd25519AndP256JwksVerify() {
    TokenFactory ed = TokenFactory.ed25519("ed-1");
    TokenFactory ec = TokenFactory.es256("ec-1");
    jwks.keys(TokenFactory.jwks(ed, ec));
    JwtConfig config = new JwtConfig(jwks.uri(), null, null, 300, AuthenticatorTest.ISSUER, AuthenticatorTest.AUDIENCE,
      false, List.of("EdDSA", "ES256"), 30, defaultClaims());
    JwtKeys keys = keys(config, JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    assertThat(await(authenticate(keys, config, ed.mint(claims()))).userId()).isEqualTo("u1");
    assertThat(await(authenticate(keys, config, ec.mint(claims()))).userId()).isEqualTo("u1");
    String forgedEdToken = TokenFactory.ed25519("attacker").mint(new JsonObject().put("alg", "EdDSA").put("kid", "ed-1"),
      claims());
    assertThat(rejection(authenticate(keys, config, forgedEdToken)).reason()).isEqualTo("signature");
  }

  @Test
  void ecJwkOffTheCurveIsSkipped() {
    JsonObject offCurve = TokenFactory.es256("ec-1").jwk();
    byte[] y = java.util.Base64.getUrlDecoder().decode(offCurve.getString("y"));
    y[31] ^= 1;
    jwks.keys(new JsonObject().put("keys", new JsonArray().add(offCurve.put("y",
      java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(y))).add(OLD_KEY.jwk())));
    JwtKeys keys = keys(config(jwks.uri(), defaultClaims()), JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    assertThat(keys.health().getInteger("keys")).isEqualTo(1);
  }

  /** A well-formed JWKS of exactly {@code bytes} bytes: one real key and a padding member. */
  private static String paddedJwks(int bytes) {
    String head = "{\"keys\":[" + OLD_KEY.jwk().encode() + "],\"pad\":\"";
    return head + "x".repeat(bytes - head.length() - 2) + "\"}";
  }

  @Test
  void jwksWithoutUsableKeysIsNotLoaded() {
    jwks.keys(new JsonObject().put("keys", new JsonArray()));
    JwtKeys keys = keys(config(jwks.uri(), defaultClaims()), JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    assertThat(keys.loaded()).isFalse();
  }

  @Test
  void healthNeverShowsKeyMaterial() {
    JwtKeys keys = keys(config(jwks.uri(), defaultClaims()), JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS);
    JsonObject health = keys.health();
    assertThat(health.fieldNames()).containsExactlyInAnyOrder("source", "loaded", "keys", "lastRefresh", "lastError");
    assertThat(health.getString("source")).isEqualTo("jwks");
    assertThat(health.encode()).doesNotContain(OLD_KEY.jwk().getString("n").substring(0, 16));
  }

  @Test
  void unreadablePemFileIsAConfigError(@TempDir Path dir) {
    JwtConfig config = pemConfig(dir.resolve("missing.pem"));
    assertThat(failure(JwtKeys.start(vertx, config, Map.of(), 0))).isInstanceOf(ConfigException.class)
      .extracting(e -> ((ConfigException) e).key()).isEqualTo("jwt.publicKeyFile");
  }

  @Test
  void unparseablePemFileIsAConfigError(@TempDir Path dir) throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertThat(failure(JwtKeys.start(vertx, pemConfig(garbage), Map.of(), 0))).isInstanceOf(ConfigException.class);
    Path text = Files.writeString(dir.resolve("text.pem"), "hello");
    assertThat(failure(JwtKeys.start(vertx, pemConfig(text), Map.of(), 0))).isInstanceOf(ConfigException.class);
  }

  @Test
  void pemKeyFittingNoConfiguredAlgorithmIsAConfigError(@TempDir Path dir) throws Exception {
    Path ec = Files.writeString(dir.resolve("ec.pem"), TokenFactory.es256("pem-ec").publicKeyPem());
    JwtConfig rsaOnly = new JwtConfig(null, ec.toString(), null, 300, null, null, true, List.of("RS256"), 30, defaultClaims());
    assertThat(failure(JwtKeys.start(vertx, rsaOnly, Map.of(), 0))).isInstanceOf(ConfigException.class);
  }

  private static JwtConfig pemConfig(Path file) {
    return new JwtConfig(null, file.toString(), null, 300, null, null, true, List.of("RS256", "ES256"), 30, defaultClaims());
  }
}
