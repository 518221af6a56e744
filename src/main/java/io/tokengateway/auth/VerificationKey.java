package io.tokengateway.auth;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A public key ({@code jwt.publicKeyFile} as SPKI "PUBLIC KEY" PEM, or a parsed JWK) and the JWS
 * algorithms its type can verify: RSA for RS and PS (at least {@value #MIN_RSA_BITS} bits), EC by curve
 * size, Ed25519/Ed448 for EdDSA.
 */
record VerificationKey(PublicKey key, Set<String> algorithms) {

  /** NIST SP 800-131A: shorter RSA keys are factorable by a determined attacker. */
  static final int MIN_RSA_BITS = 2048;

  private static final Pattern BLOCK =
    Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
  private static final List<String> KEY_FACTORIES = List.of("RSA", "EC", "EdDSA");

  /** Fails with a message naming what is wrong, never quoting the file. */
  static VerificationKey parse(String text) {
    Matcher block = BLOCK.matcher(text);
    if (!block.find()) {
      throw new IllegalArgumentException("no -----BEGIN PUBLIC KEY----- block");
    }
    return of(publicKey(Base64.getMimeDecoder().decode(block.group(1))));
  }

  /** The key with what it can verify; an RSA key under {@link #MIN_RSA_BITS} or an odd curve is refused. */
  static VerificationKey of(PublicKey key) {
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new IllegalArgumentException("RSA key of " + rsa.getModulus().bitLength() + " bits; at least "
        + MIN_RSA_BITS + " are needed");
    }
    return new VerificationKey(key, algorithms(key));
  }

  /** The canonical SPKI PEM text of the key, as the JWT library takes it. */
  String pem() {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
      + "\n-----END PUBLIC KEY-----\n";
  }

  private static PublicKey publicKey(byte[] der) {
    for (String type : KEY_FACTORIES) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (Exception e) {
        // not this key type: try the next one
      }
    }
    throw new IllegalArgumentException("not an RSA, EC or EdDSA public key");
  }

  private static Set<String> algorithms(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
    }
    if (key instanceof EdECPublicKey) {
      return Set.of("EdDSA");
    }
    int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
    switch (bits) {
      case 256: return Set.of("ES256");
      case 384: return Set.of("ES384");
      case 521: return Set.of("ES512");
      default: throw new IllegalArgumentException("unsupported EC curve of " + bits + " bits");
    }
  }
}
