package io.tokengateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints session JWTs at test time with real keys (RS256, ES256, EdDSA, HS256), signing exactly the bytes
 * it is given so tests can build tokens with any flaw. Key pairs are cached per kid.
 */
public final class TokenFactory {

  /** The audience of every minted token, and of the test gateways' {@code jwt.audience}. */
  public static final String AUDIENCE = "token-gateway-test";

  private static final Map<String, KeyPair> KEY_PAIRS = new ConcurrentHashMap<>();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String alg;
  private final String kid;
  private final KeyPair pair;
  private final byte[] secret;

  private TokenFactory(String alg, String kid, KeyPair pair, byte[] secret) {
    this.alg = alg;
    this.kid = kid;
    this.pair = pair;
    this.secret = secret;
  }

  public static TokenFactory rs256(String kid) {
    return new TokenFactory("RS256", kid, KEY_PAIRS.computeIfAbsent("RSA/" + kid, k -> generate("RSA")), null);
  }

  public static TokenFactory es256(String kid) {
    return new TokenFactory("ES256", kid, KEY_PAIRS.computeIfAbsent("EC/" + kid, k -> generate("EC")), null);
  }

  /** RSA of {@code bits} (under 2048 for the weak-key tests). */
  public static TokenFactory rs256(String kid, int bits) {
    return new TokenFactory("RS256", kid, KEY_PAIRS.computeIfAbsent("RSA" + bits + "/" + kid, k -> generate("RSA", bits)),
      null);
  }

  public static TokenFactory ed25519(String kid) {
    return new TokenFactory("EdDSA", kid, KEY_PAIRS.computeIfAbsent("Ed25519/" + kid, k -> generate("Ed25519")), null);
  }

  public static TokenFactory hs256(byte[] secret) {
    return new TokenFactory("HS256", null, null, secret.clone());
  }

  public String alg() {
    return alg;
  }

  public String kid() {
    return kid;
  }

  /** The public JWK (for HS256 the {@code oct} key itself). */
  public JsonObject jwk() {
    JsonObject jwk = new JsonObject().put("alg", alg).put("use", "sig");
    if (kid != null) {
      jwk.put("kid", kid);
    }
    if (pair == null) {
      return jwk.put("kty", "oct").put("k", B64.encodeToString(secret));
    }
    if (alg.equals("EdDSA")) {
      byte[] spki = pair.getPublic().getEncoded();
      return jwk.put("kty", "OKP").put("crv", "Ed25519").put("x", B64.encodeToString(Arrays.copyOfRange(spki, spki.length - 32,
        spki.length)));
    }
    if (pair.getPublic() instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA").put("n", unsigned(rsa.getModulus(), 0)).put("e", unsigned(rsa.getPublicExponent(), 0));
    }
    ECPublicKey ec = (ECPublicKey) pair.getPublic();
    return jwk.put("kty", "EC").put("crv", "P-256").put("x", unsigned(ec.getW().getAffineX(), 32))
      .put("y", unsigned(ec.getW().getAffineY(), 32));
  }

  public static JsonObject jwks(TokenFactory... factories) {
    JsonArray keys = new JsonArray();
    Arrays.stream(factories).forEach(f -> keys.add(f.jwk()));
    return new JsonObject().put("keys", keys);
  }

  /** SPKI PEM, as an identity provider publishes it. */
  public String publicKeyPem() {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
      .encodeToString(pair.getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  public String mint(JsonObject claims) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    if (kid != null) {
      header.put("kid", kid);
    }
    return mint(header, claims);
  }

  /** Signs with this factory's key and algorithm whatever the header claims. */
  public String mint(JsonObject header, JsonObject claims) {
    return mintRaw(header.encode(), claims.encode());
  }

  public String mintRaw(String headerJson, String payloadJson) {
    String input = segment(headerJson) + "." + segment(payloadJson);
    return input + "." + B64.encodeToString(sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  public static JsonObject claims(String tenant, String user) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", user).put("tenant_id", tenant).put("iat", now).put("exp", now + 3600)
      .put("sid", "s-" + user)
      .put("aud", AUDIENCE);
  }

  private static String segment(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] sign(byte[] input) {
    try {
      if (secret != null) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return mac.doFinal(input);
      }
      Signature signature = Signature.getInstance(switch (alg) {
        case "RS256" -> "SHA256withRSA";
        case "EdDSA" -> "Ed25519";
        default -> "SHA256withECDSA";
      });
      signature.initSign(pair.getPrivate());
      signature.update(input);
      return alg.equals("ES256") ? derToJose(signature.sign()) : signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JCA gives ECDSA signatures as DER SEQUENCE{r, s}; JWS wants r || s, 32 bytes each for P-256. */
  private static byte[] derToJose(byte[] der) {
    int offset = 2;
    int rLength = der[offset + 1];
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength));
    offset += 2 + rLength;
    int sLength = der[offset + 1];
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, offset + 2, offset + 2 + sLength));
    byte[] jose = new byte[64];
    System.arraycopy(fixed(r, 32), 0, jose, 0, 32);
    System.arraycopy(fixed(s, 32), 0, jose, 32, 32);
    return jose;
  }

  private static String unsigned(BigInteger value, int length) {
    return B64.encodeToString(fixed(value, length));
  }

  /** Big-endian without sign byte, left-padded to {@code length} when that is positive. */
  private static byte[] fixed(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    int size = Math.max(length, bytes.length - start);
    byte[] out = new byte[size];
    System.arraycopy(bytes, start, out, size - (bytes.length - start), bytes.length - start);
    return out;
  }

  private static KeyPair generate(String type) {
    return generate(type, 2048);
  }

  private static KeyPair generate(String type, int rsaBits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
      if (type.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else if (type.equals("RSA")) {
        generator.initialize(rsaBits);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
