package io.tokengateway.auth;

import io.tokengateway.config.JwtConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One immutable generation of verification keys: the {@link JWTAuth} that checks signatures and an
 * index of which (alg, kid) pairs it can check. Swapped whole on refresh, never edited.
 */
final class KeySet {

  private static final Logger LOG = LogManager.getLogger(KeySet.class);
  /** Only these JWK members reach the JWT library: no private parts, no x5c chains, no URLs. */
  private static final List<String> PUBLIC_MEMBERS = List.of("kty", "kid", "use", "crv", "n", "e", "x", "y");
  private static final Map<String, String> EC_CURVE_ALGORITHMS = Map.of("P-256", "ES256", "P-384", "ES384",
    "P-521", "ES512");
  private static final List<String> RSA_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");

  private record Entry(String alg, String kid) {}

  private final JWTAuth auth;
  private final List<Entry> entries;
  private final int size;

  private KeySet(JWTAuth auth, List<Entry> entries, int size) {
    this.auth = auth;
    this.entries = List.copyOf(entries);
    this.size = size;
  }

  JWTAuth auth() {
    return auth;
  }

  /** Source keys in use (a JWKS entry or the PEM key or the secret). */
  int size() {
    return size;
  }

  /** Whether some key can check this (alg, kid); a token without kid, or a key without one, matches any. */
  boolean has(String alg, String kid) {
    return entries.stream().anyMatch(e -> e.alg.equals(alg) && (kid == null || e.kid == null || kid.equals(e.kid)));
  }

  static KeySet fromSecret(Vertx vertx, byte[] secret, JwtConfig config) {
    JWTAuthOptions options = options(config);
    List<Entry> entries = new ArrayList<>();
    for (String alg : config.algorithms()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(Buffer.buffer(secret)));
      entries.add(new Entry(alg, null));
    }
    return new KeySet(JWTAuth.create(vertx, options), entries, 1);
  }

  /** One key per configured algorithm the PEM key's type supports; none at all is a config error. */
  static KeySet fromPem(Vertx vertx, PemKey key, JwtConfig config) {
    JWTAuthOptions options = options(config);
    List<Entry> entries = new ArrayList<>();
    for (String alg : config.algorithms()) {
      if (key.algorithms().contains(alg)) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(key.pem()));
        entries.add(new Entry(alg, null));
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("the key fits none of jwt.algorithms " + config.algorithms());
    }
    return new KeySet(JWTAuth.create(vertx, options), entries, 1);
  }

  /** Unsupported or unusable entries are skipped with a warning; the caller decides if none is a failure. */
  static KeySet fromJwks(Vertx vertx, JsonArray keys, JwtConfig config) {
    JWTAuthOptions options = options(config);
    List<Entry> entries = new ArrayList<>();
    int size = 0;
    for (Object key : keys) {
      List<JsonObject> usable = key instanceof JsonObject jwk ? usable(jwk, config) : List.of();
      for (JsonObject jwk : usable) {
        options.addJwk(jwk);
        entries.add(new Entry(jwk.getString("alg"), jwk.getString("kid")));
      }
      size += usable.isEmpty() ? 0 : 1;
    }
    return new KeySet(JWTAuth.create(vertx, options), entries, size);
  }

  /** The JWK once per configured algorithm it may verify, each checked by the JWT library's parser. */
  private static List<JsonObject> usable(JsonObject jwk, JwtConfig config) {
    Object use = jwk.getValue("use");
    if (use != null && !"sig".equals(use)) {
      return List.of();
    }
    List<JsonObject> result = new ArrayList<>();
    for (String alg : algorithms(jwk, config)) {
      JsonObject trimmed = new JsonObject().put("alg", alg);
      PUBLIC_MEMBERS.stream().filter(jwk::containsKey).forEach(m -> trimmed.put(m, jwk.getValue(m)));
      if (hasPublicKey(trimmed)) {
        result.add(trimmed);
      } else {
        LOG.warn("JWKS: skipping key kid=" + kidOf(jwk) + " alg=" + alg + ": no usable public key");
      }
    }
    return result;
  }

  /** What the key type allows, narrowed by the JWK's own {@code alg} and then by {@code jwt.algorithms}. */
  private static List<String> algorithms(JsonObject jwk, JwtConfig config) {
    Object alg = jwk.getValue("alg");
    List<String> candidates = byKeyType(jwk).stream().filter(a -> alg == null || a.equals(alg)).toList();
    if (candidates.isEmpty()) {
      LOG.warn("JWKS: skipping key kid=" + kidOf(jwk) + ": unsupported kty/alg");
    }
    return candidates.stream().filter(config.algorithms()::contains).toList();
  }

  private static List<String> byKeyType(JsonObject jwk) {
    Object kty = jwk.getValue("kty");
    Object crv = jwk.getValue("crv");
    if ("RSA".equals(kty)) {
      return RSA_ALGORITHMS;
    }
    if ("EC".equals(kty) && EC_CURVE_ALGORITHMS.containsKey(crv)) {
      return List.of(EC_CURVE_ALGORITHMS.get(crv));
    }
    return "OKP".equals(kty) && ("Ed25519".equals(crv) || "Ed448".equals(crv)) ? List.of("EdDSA") : List.of();
  }

  /** The JWT library's own parser; it silently yields a key-less JWK when members are missing. */
  private static boolean hasPublicKey(JsonObject jwk) {
    try {
      return new JWK(jwk).publicKey() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String kidOf(JsonObject jwk) {
    Object kid = jwk.getValue("kid");
    return kid instanceof String s && s.length() <= 128 ? s : "?";
  }

  private static JWTAuthOptions options(JwtConfig config) {
    return new JWTAuthOptions().setJWTOptions(new JWTOptions().setLeeway(config.clockSkewSeconds()));
  }
}
