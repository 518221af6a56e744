package io.tokengateway.auth;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.JwtConfig;
import io.tokengateway.testing.JwksServer;
import io.tokengateway.testing.TokenFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Authenticator} against a real JWKS server (RS256 and ES256 keys), issuer and audience
 * configured: the happy paths, the header rules, and one flawed token per check of CONTRACT §5.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AuthenticatorTest {

  static final String ISSUER = "https://idp.example";
  static final String AUDIENCE = "token-gateway";
  static final TokenFactory RSA = TokenFactory.rs256("rsa-1");
  static final TokenFactory EC = TokenFactory.es256("ec-1");

  private JwksServer jwks;
  private JwtKeys keys;
  private Authenticator authenticator;

  static JwtConfig config(String jwksUri, JwtConfig.Claims claims) {
    return new JwtConfig(jwksUri, null, null, 300, ISSUER, AUDIENCE, false, List.of("RS256", "ES256"), 30, claims);
  }

  static JwtConfig.Claims defaultClaims() {
    return new JwtConfig.Claims("tenant_id", "sub", "sid");
  }

  /** Claims that pass every check: the factory's defaults plus our issuer and audience. */
  static JsonObject claims() {
    return TokenFactory.claims("acme", "u1").put("iss", ISSUER).put("aud", AUDIENCE);
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @BeforeEach
  void start(Vertx vertx) {
    jwks = await(JwksServer.start(vertx, TokenFactory.jwks(RSA, EC)));
    keys = await(JwtKeys.start(vertx, config(jwks.uri(), defaultClaims()), Map.of(), 0));
    authenticator = new Authenticator(config(jwks.uri(), defaultClaims()), keys);
  }

  @AfterEach
  void stop() {
    await(keys.close());
    await(jwks.close());
  }

  private Future<Caller> authenticate(String token) {
    return authenticator.authenticate(List.of("Bearer " + token));
  }

  private static GatewayException rejection(Future<?> result) {
    Throwable cause = failure(result);
    assertThat(cause).isInstanceOf(GatewayException.class);
    return (GatewayException) cause;
  }

  @Test
  void rs256TokenFromJwksIsAccepted() {
    JsonObject claims = claims();
    Caller caller = await(authenticate(RSA.mint(claims)));
    assertThat(caller).isEqualTo(new Caller("acme", "u1", "s-u1", claims.getLong("exp")));
  }

  @Test
  void es256TokenFromJwksIsAccepted() {
    assertThat(await(authenticate(EC.mint(claims()))).userId()).isEqualTo("u1");
  }

  @Test
  void tokenWithoutKidIsTriedAgainstKeysOfItsAlgorithm() {
    String token = RSA.mint(new JsonObject().put("alg", "RS256").put("typ", "JWT"), claims());
    assertThat(await(authenticate(token)).tenantId()).isEqualTo("acme");
  }

  @Test
  void lowerCaseBearerSchemeIsAccepted() {
    assertThat(await(authenticator.authenticate(List.of("bearer " + RSA.mint(claims())))).userId()).isEqualTo("u1");
  }

  @Test
  void whitespaceAroundSchemeAndTokenIsIgnored() {
    String token = RSA.mint(claims());
    assertThat(await(authenticator.authenticate(List.of(" \tBearer   " + token + " \t"))).userId()).isEqualTo("u1");
    assertThat(await(authenticator.authenticate(List.of("Bearer " + token))).userId()).isEqualTo("u1");
  }

  /** The cache key is hashed from the header in place: the same as the SHA-256 of the token's UTF-8 bytes. */
  @Test
  void cacheKeyIsTheSha256OfTheTokenWherever() throws Exception {
    for (String token : List.of(RSA.mint(claims()), "abc.d\u00e9f.ghi", "x")) {
      ByteBuffer hash = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
      VerifiedTokens.Key expected = new VerifiedTokens.Key(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
      assertThat(VerifiedTokens.key(token)).isEqualTo(expected);
      assertThat(VerifiedTokens.key("Bearer  " + token + " ", 8, 8 + token.length())).isEqualTo(expected);
    }
  }

  @Test
  void noUsableBearerHeaderIsMissingToken() {
    List<List<String>> headers = new ArrayList<>(List.of(List.of(), List.of(""), List.of("Bearer"), List.of("Bearer   "),
      List.of("Basic dXNlcjpwYXNz"), List.of(RSA.mint(claims()))));
    headers.add(null);
    for (List<String> values : headers) {
      GatewayException e = rejection(authenticator.authenticate(values));
      assertThat(e.code()).as("headers %s", values).isEqualTo(ErrorCode.MISSING_TOKEN);
    }
  }

  @Test
  void twoAuthorizationHeadersAreRejected() {
    String token = RSA.mint(claims());
    GatewayException e = rejection(authenticator.authenticate(List.of("Bearer " + token, "Bearer " + token)));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    assertThat(e.reason()).isEqualTo("multiple_headers");
  }

  @Test
  void dottedTenantClaimPathWalksNestedObjects() {
    Authenticator nested = new Authenticator(config(jwks.uri(), new JwtConfig.Claims("org.id", "sub", "sid")), keys);
    JsonObject claims = claims().put("org", new JsonObject().put("id", "globex"));
    assertThat(await(nested.authenticate(List.of("Bearer " + RSA.mint(claims)))).tenantId()).isEqualTo("globex");
    JsonObject namespaced = claims().put("org.id", "initech");
    assertThat(await(nested.authenticate(List.of("Bearer " + RSA.mint(namespaced)))).tenantId()).isEqualTo("initech");
    GatewayException e = rejection(nested.authenticate(List.of("Bearer " + RSA.mint(claims().put("org", "x")))));
    assertThat(e.reason()).isEqualTo("claims");
  }

  @Test
  void sessionClaimIsOptional() {
    JsonObject claims = claims();
    claims.remove("sid");
    assertThat(await(authenticate(RSA.mint(claims))).sessionId()).isNull();
  }

  @Test
  void audienceArrayContainingOursIsAccepted() {
    JsonObject claims = claims().put("aud", new JsonArray().add("other").add(AUDIENCE));
    assertThat(await(authenticate(RSA.mint(claims))).userId()).isEqualTo("u1");
  }

  @Test
  void expiryWithinClockSkewIsAccepted() {
    JsonObject claims = claims().put("exp", now() - 10).put("iat", now() - 600).put("nbf", now() + 10);
    assertThat(await(authenticate(RSA.mint(claims))).userId()).isEqualTo("u1");
  }

  @Test
  void fractionalNumericDatesAreAccepted() {
    long exp = now() + 600;
    String token = RSA.mintRaw(header(RSA), literal(claims(), "exp", exp + ".5"));
    assertThat(await(authenticate(token)).expiresAtEpochSeconds()).isEqualTo(exp);
  }

  @Test
  void unknownKidTriggersOneRefetchThenUnknownKey() {
    String ghostKidToken = TokenFactory.rs256("ghost").mint(claims());
    GatewayException e = rejection(authenticate(ghostKidToken));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    assertThat(e.reason()).isEqualTo("unknown_key");
    assertThat(jwks.fetches()).isEqualTo(2);
  }

  @Test
  void refetchOutcomeIsDeliveredOnTheCallersContext(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> authenticate(TokenFactory.rs256("ghost").mint(claims())).onComplete(ar -> test.verify(() -> {
      assertThat(Vertx.currentContext()).isSameAs(context);
      assertThat(ar.failed()).isTrue();
      assertThat(((GatewayException) ar.cause()).reason()).isEqualTo("unknown_key");
      test.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flawedTokens")
  void flawedTokenIsInvalidWithoutAnyFetch(String name, String token, String reason) {
    GatewayException e = rejection(authenticate(token));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.detail()).doesNotContain("acme", "u1", ISSUER).doesNotContain(token);
    assertThat(jwks.fetches()).as("JWKS fetches").isEqualTo(1);
  }

  static Stream<Arguments> flawedTokens() {
    String valid = RSA.mint(claims());
    String[] parts = valid.split("\\.");
    JsonObject rsaHeader = new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", "rsa-1");
    long now = now();
    return Stream.of(
      Arguments.of("noneAlgToken", RSA.mint(rsaHeader.copy().put("alg", "none"), claims()), "algorithm"),
      Arguments.of("noneAlgUnsignedToken", b64("{\"alg\":\"none\"}") + "." + parts[1] + ".", "malformed"),
      Arguments.of("hs256SignedWithRsaPublicKeyToken", TokenFactory.hs256(RSA.publicKeyPem().getBytes(StandardCharsets.US_ASCII))
        .mint(rsaHeader.copy().put("alg", "HS256"), claims()), "algorithm"),
      Arguments.of("hs256SignedWithRsaJwkToken", TokenFactory.hs256(RSA.jwk().encode().getBytes(StandardCharsets.UTF_8))
        .mint(rsaHeader.copy().put("alg", "HS256"), claims()), "algorithm"),
      Arguments.of("disallowedAlgToken", RSA.mint(rsaHeader.copy().put("alg", "RS512"), claims()), "algorithm"),
      Arguments.of("missingAlgToken", RSA.mint(new JsonObject().put("kid", "rsa-1"), claims()), "algorithm"),
      Arguments.of("critHeaderToken", RSA.mint(rsaHeader.copy().put("crit", new JsonArray().add("exp")), claims()), "header"),
      Arguments.of("numericKidToken", RSA.mint(rsaHeader.copy().put("kid", 7), claims()), "header"),
      Arguments.of("expiredToken", RSA.mint(claims().put("exp", now - 3600).put("iat", now - 7200)), "expired"),
      Arguments.of("expiredBeyondSkewToken", RSA.mint(claims().put("exp", now - 31)), "expired"),
      Arguments.of("notYetValidToken", RSA.mint(claims().put("nbf", now + 3600)), "not_yet_valid"),
      Arguments.of("issuedInFutureToken", RSA.mint(claims().put("iat", now + 3600)), "issued_in_future"),
      Arguments.of("noExpToken", RSA.mint(without(claims(), "exp")), "claims"),
      Arguments.of("stringExpToken", RSA.mint(claims().put("exp", String.valueOf(now + 600))), "claims"),
      Arguments.of("hugeExpToken", RSA.mintRaw(header(RSA), literal(claims(), "exp", "1e309")), "claims"),
      Arguments.of("negativeExpToken", RSA.mint(claims().put("exp", -1)), "claims"),
      Arguments.of("stringNbfToken", RSA.mint(claims().put("nbf", "0")), "claims"),
      Arguments.of("nullIatToken", RSA.mint(claims().putNull("iat")), "claims"),
      Arguments.of("wrongIssuerToken", RSA.mint(claims().put("iss", "https://evil.example")), "issuer"),
      Arguments.of("missingIssuerToken", RSA.mint(without(claims(), "iss")), "issuer"),
      Arguments.of("audienceMismatchToken", RSA.mint(claims().put("aud", "other")), "audience"),
      Arguments.of("audienceArrayMismatchToken", RSA.mint(claims().put("aud", new JsonArray().add("a").add("b"))), "audience"),
      Arguments.of("numericAudienceToken", RSA.mint(claims().put("aud", 5)), "audience"),
      Arguments.of("audienceArrayWithNumberToken", RSA.mint(claims().put("aud", new JsonArray().add(AUDIENCE).add(5))), "audience"),
      Arguments.of("missingSubToken", RSA.mint(without(claims(), "sub")), "claims"),
      Arguments.of("missingTenantToken", RSA.mint(without(claims(), "tenant_id")), "claims"),
      Arguments.of("blankSubToken", RSA.mint(claims().put("sub", "   ")), "claims"),
      Arguments.of("emptyTenantToken", RSA.mint(claims().put("tenant_id", "")), "claims"),
      Arguments.of("numericTenantToken", RSA.mint(claims().put("tenant_id", 42)), "claims"),
      Arguments.of("emptySessionToken", RSA.mint(claims().put("sid", "")), "claims"),
      Arguments.of("duplicateClaimToken", RSA.mintRaw(header(RSA),
        claims().encode().replaceFirst("\\{", "{\"sub\":\"admin\",")), "malformed"),
      Arguments.of("duplicateHeaderKeyToken", RSA.mintRaw("{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"rsa-1\"}",
        claims().encode()), "malformed"),
      Arguments.of("arrayHeaderToken", RSA.mintRaw("[\"RS256\"]", claims().encode()), "malformed"),
      Arguments.of("paddedSegmentToken", parts[0] + "==." + parts[1] + "." + parts[2], "malformed"),
      Arguments.of("standardBase64Token", parts[0] + "." + parts[1] + "." + parts[2].replace('-', '+').replace('_', '/')
        + (parts[2].contains("-") || parts[2].contains("_") ? "" : "+"), "malformed"),
      Arguments.of("nonCanonicalBase64Token", parts[0] + "." + parts[1] + "." + nonCanonical(parts[2]), "malformed"),
      Arguments.of("badBase64Token", parts[0] + "." + parts[1].substring(0, 5) + "*" + parts[1].substring(6) + "." + parts[2],
        "malformed"),
      Arguments.of("trailingDotToken", valid + ".", "malformed"),
      Arguments.of("twoDotsOnlyToken", "..", "malformed"),
      Arguments.of("twoSegmentsToken", parts[0] + "." + parts[1], "malformed"),
      Arguments.of("emptySignatureToken", parts[0] + "." + parts[1] + ".", "malformed"),
      Arguments.of("fourSegmentsToken", valid + "." + parts[2], "malformed"),
      Arguments.of("spaceInsideToken", parts[0] + ". " + parts[1] + "." + parts[2], "malformed"),
      Arguments.of("oversizedToken", RSA.mint(claims().put("pad", "x".repeat(20_000))), "too_large"),
      Arguments.of("tamperedPayloadToken", parts[0] + "." + b64(claims().put("tenant_id", "globex").encode()) + "."
        + parts[2], "signature"),
      Arguments.of("wrongKeySameKidToken", TokenFactory.rs256("attacker").mint(rsaHeader, claims()), "signature"),
      Arguments.of("embeddedJwkHeaderToken", TokenFactory.rs256("attacker").mint(rsaHeader.copy()
        .put("jwk", TokenFactory.rs256("attacker").jwk()), claims()), "signature"),
      Arguments.of("jkuHeaderToken", TokenFactory.rs256("attacker").mint(rsaHeader.copy()
        .put("jku", "http://127.0.0.1:1/jwks.json"), claims()), "signature"),
      Arguments.of("es256HeaderOnRsaKidToken", EC.mint(rsaHeader.copy().put("alg", "ES256"), claims()), "algorithm"),
      Arguments.of("rs256HeaderOnEcKidToken", RSA.mint(rsaHeader.copy().put("kid", "ec-1"), claims()), "algorithm"),
      Arguments.of("rsaSignedEs256Token", RSA.mint(new JsonObject().put("alg", "ES256").put("kid", "ec-1"), claims()),
        "signature"),
      Arguments.of("truncatedEcSignatureToken", truncateSignature(EC.mint(claims())), "signature"));
  }

  static String header(TokenFactory factory) {
    return new JsonObject().put("alg", factory.alg()).put("typ", "JWT").put("kid", factory.kid()).encode();
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static JsonObject without(JsonObject claims, String name) {
    claims.remove(name);
    return claims;
  }

  /** The claims as JSON text with {@code name} set to a raw literal JsonObject cannot express. */
  static String literal(JsonObject claims, String name, String literal) {
    return claims.put(name, "@LITERAL@").encode().replace("\"@LITERAL@\"", literal);
  }

  /** The same bytes spelled differently: unused low bits of the last character set (256 bytes leave 4). */
  private static String nonCanonical(String segment) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = segment.charAt(segment.length() - 1);
    return segment.substring(0, segment.length() - 1) + alphabet.charAt(alphabet.indexOf(last) + 1);
  }

  private static String truncateSignature(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    byte[] shorter = java.util.Arrays.copyOf(signature, signature.length - 1);
    return token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(shorter);
  }
}
