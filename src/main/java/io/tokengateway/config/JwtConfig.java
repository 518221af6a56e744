package io.tokengateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Session-token verification (CONTRACT §4 {@code jwt}): exactly one key source, the algorithm
 * allowlist, and where the tenant, user and session live in the claims.
 */
public record JwtConfig(String jwksUri, String publicKeyFile, String hmacSecretEnv, int jwksRefreshSeconds,
                        String issuer, String audience, boolean allowAnyAudience, List<String> algorithms,
                        int clockSkewSeconds, Claims claims) {
  public static final int DEFAULT_JWKS_REFRESH_SECONDS = 300;
  public static final int DEFAULT_CLOCK_SKEW_SECONDS = 30;
  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
  public static final Set<String> HMAC_ALGORITHMS = Set.of("HS256", "HS384", "HS512");
  public static final Set<String> KNOWN_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512");
  /** Hosts a plain-http JWKS may live on: this machine, where no one on the path can swap the keys. */
  private static final Pattern LOOPBACK_HOST = Pattern.compile("(?i)localhost|127(\\.\\d{1,3}){3}|\\[(::1|0:0:0:0:0:0:0:1)]");

  static JwtConfig from(ConfigNode node) {
    JwtConfig config = new JwtConfig(node.string("jwksUri", null), node.string("publicKeyFile", null),
      node.string("hmacSecretEnv", null),
      node.integer("jwksRefreshSeconds", DEFAULT_JWKS_REFRESH_SECONDS, 1, 86_400),
      node.string("issuer", null), node.string("audience", null), node.bool("allowAnyAudience", false),
      algorithms(node),
      node.integer("clockSkewSeconds", DEFAULT_CLOCK_SKEW_SECONDS, 0, 3600), Claims.from(node.child("claims")));
    config.checkKeySource(node);
    node.finish();
    // After finish: a misspelt key (audiance) is reported as unknown, not as a missing audience.
    config.checkJwksUri(node);
    config.checkAudience(node);
    return config;
  }

  private static List<String> algorithms(ConfigNode node) {
    List<String> algorithms = node.strings("algorithms", DEFAULT_ALGORITHMS);
    if (algorithms.isEmpty()) {
      throw new ConfigException(node.keyPath("algorithms"), "at least one algorithm is needed");
    }
    for (String alg : algorithms) {
      if (!KNOWN_ALGORITHMS.contains(alg)) {
        throw new ConfigException(node.keyPath("algorithms"), "unsupported algorithm " + alg
          + " (allowed: RS/PS/ES 256/384/512, EdDSA, HS256/384/512)");
      }
    }
    return algorithms;
  }

  /** Exactly one source; HMAC algorithms only with an HMAC secret, public-key ones only without. */
  private void checkKeySource(ConfigNode node) {
    int sources = (jwksUri != null ? 1 : 0) + (publicKeyFile != null ? 1 : 0) + (hmacSecretEnv != null ? 1 : 0);
    if (sources != 1) {
      throw new ConfigException(node.keyPath("jwksUri"),
        "set exactly one JWT key source: jwksUri, publicKeyFile or hmacSecretEnv");
    }
    boolean hmac = hmacSecretEnv != null;
    for (String alg : algorithms) {
      if (HMAC_ALGORITHMS.contains(alg) != hmac) {
        throw new ConfigException(node.keyPath("algorithms"), alg + " does not fit the key source "
          + (hmac ? "hmacSecretEnv" : "(a public key)"));
      }
    }
  }

  /** https, or http to a loopback host only: keys fetched in cleartext could be swapped on the path. */
  private void checkJwksUri(ConfigNode node) {
    if (jwksUri == null) {
      return;
    }
    URI uri;
    try {
      uri = new URI(jwksUri);
    } catch (URISyntaxException e) {
      throw new ConfigException(node.keyPath("jwksUri"), "not a valid URI");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = uri.getHost() != null && LOOPBACK_HOST.matcher(uri.getHost()).matches();
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
      throw new ConfigException(node.keyPath("jwksUri"), "must be an https URI (plain http only to a loopback host: "
        + "keys fetched in cleartext could be replaced on the way)");
    }
  }

  /** Without an audience, a token the identity provider issued for any other application would do. */
  private void checkAudience(ConfigNode node) {
    if (audience == null && !allowAnyAudience) {
      throw new ConfigException(node.keyPath("audience"), "is required: set the audience your identity provider "
        + "puts in session tokens for this gateway (or jwt.allowAnyAudience: true to accept any)");
    }
    if (audience != null && allowAnyAudience) {
      throw new ConfigException(node.keyPath("allowAnyAudience"), "cannot be true while jwt.audience is set");
    }
  }

  public boolean usesHmac() {
    return hmacSecretEnv != null;
  }

  /** Claim names; dotted paths ({@code org.id}) walk nested objects. */
  public record Claims(String tenant, String user, String session) {
    public static final String DEFAULT_TENANT = "tenant_id";
    public static final String DEFAULT_USER = "sub";
    public static final String DEFAULT_SESSION = "sid";

    static Claims from(ConfigNode node) {
      Claims claims = new Claims(node.string("tenant", DEFAULT_TENANT), node.string("user", DEFAULT_USER),
        node.string("session", DEFAULT_SESSION));
      node.finish();
      return claims;
    }
  }
}
