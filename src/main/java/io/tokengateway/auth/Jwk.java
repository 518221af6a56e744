package io.tokengateway.auth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * A JSON Web Key (RFC 7517/7518/8037) turned into a {@link PublicKey} with {@code java.security} alone:
 * RSA ({@code n}, {@code e}), EC on P-256/384/521 ({@code x}, {@code y}, checked to lie on the curve) and
 * OKP Ed25519/Ed448 ({@code x}). Only public members are read; anything else is refused with a reason.
 */
final class Jwk {

  private record Curve(String jcaName, int bytes) {}

  private static final Map<String, Curve> EC_CURVES = Map.of("P-256", new Curve("secp256r1", 32),
    "P-384", new Curve("secp384r1", 48), "P-521", new Curve("secp521r1", 66));
  /** SPKI DER prefixes (RFC 8410) for the raw OKP public keys, and their lengths in bytes. */
  private static final Map<String, String> OKP_SPKI_PREFIXES = Map.of("Ed25519", "302a300506032b6570032100",
    "Ed448", "3043300506032b6571033a00");
  private static final Map<String, Integer> OKP_BYTES = Map.of("Ed25519", 32, "Ed448", 57);

  private Jwk() {}

  /** The public key of {@code jwk}; an {@link IllegalArgumentException} names what is missing or wrong. */
  static PublicKey publicKey(JsonObject jwk) {
    Object kty = jwk.getValue("kty");
    try {
      if ("RSA".equals(kty)) {
        return rsa(jwk);
      }
      if ("EC".equals(kty)) {
        return ec(jwk);
      }
      if ("OKP".equals(kty)) {
        return okp(jwk);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a usable " + kty + " key");
    }
    throw new IllegalArgumentException("unsupported kty");
  }

  private static PublicKey rsa(JsonObject jwk) throws GeneralSecurityException {
    BigInteger n = new BigInteger(1, bytes(jwk, "n"));
    BigInteger e = new BigInteger(1, bytes(jwk, "e"));
    if (n.signum() == 0 || e.signum() == 0) {
      throw new IllegalArgumentException("RSA n or e is zero");
    }
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
  }

  private static PublicKey ec(JsonObject jwk) throws GeneralSecurityException {
    Curve curve = EC_CURVES.get(String.valueOf(jwk.getValue("crv")));
    if (curve == null) {
      throw new IllegalArgumentException("unsupported EC curve");
    }
    byte[] x = bytes(jwk, "x");
    byte[] y = bytes(jwk, "y");
    if (x.length != curve.bytes() || y.length != curve.bytes()) {
      throw new IllegalArgumentException("EC coordinates do not fit the curve");
    }
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec(curve.jcaName()));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
    if (!onCurve(point, spec.getCurve())) {
      throw new IllegalArgumentException("EC point is not on the curve");
    }
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
  }

  /** y² = x³ + ax + b (mod p): the JDK's key factory does not check it. */
  private static boolean onCurve(ECPoint point, EllipticCurve curve) {
    BigInteger p = ((ECFieldFp) curve.getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return y.pow(2).mod(p).equals(right);
  }

  private static PublicKey okp(JsonObject jwk) throws GeneralSecurityException {
    String crv = String.valueOf(jwk.getValue("crv"));
    String prefix = OKP_SPKI_PREFIXES.get(crv);
    if (prefix == null) {
      throw new IllegalArgumentException("unsupported OKP curve");
    }
    byte[] x = bytes(jwk, "x");
    if (x.length != OKP_BYTES.get(crv)) {
      throw new IllegalArgumentException("OKP x does not fit the curve");
    }
    byte[] head = HexFormat.of().parseHex(prefix);
    byte[] der = new byte[head.length + x.length];
    System.arraycopy(head, 0, der, 0, head.length);
    System.arraycopy(x, 0, der, head.length, x.length);
    return KeyFactory.getInstance("EdDSA").generatePublic(new X509EncodedKeySpec(der));
  }

  /** A base64url member (padding tolerated, as some providers send it). */
  private static byte[] bytes(JsonObject jwk, String member) {
    if (!(jwk.getValue(member) instanceof String text) || text.isEmpty()) {
      throw new IllegalArgumentException("member " + member + " missing");
    }
    try {
      return Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("member " + member + " is not base64url");
    }
  }
}
