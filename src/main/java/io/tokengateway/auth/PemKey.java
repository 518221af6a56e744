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
 * A PEM public key ({@code jwt.publicKeyFile}, SPKI "PUBLIC KEY") and the JWS algorithms its type
 * can verify: RSA for RS and PS, EC by curve size, Ed25519/Ed448 for EdDSA.
 */
record PemKey(String pem, Set<String> algorithms) {

  private static final Pattern BLOCK =
    Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
  private static final List<String> KEY_FACTORIES = List.of("RSA", "EC", "EdDSA");

  /** Fails with a message naming what is wrong, never quoting the file. */
  static PemKey parse(String text) {
    Matcher block = BLOCK.matcher(text);
    if (!block.find()) {
      throw new IllegalArgumentException("no -----BEGIN PUBLIC KEY----- block");
    }
    byte[] der = Base64.getMimeDecoder().decode(block.group(1));
    PublicKey key = publicKey(der);
    String canonical = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
      + "\n-----END PUBLIC KEY-----\n";
    return new PemKey(canonical, algorithms(key));
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
