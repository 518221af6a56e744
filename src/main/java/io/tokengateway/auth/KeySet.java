package io.tokengateway.auth;

import io.tokengateway.config.JwtConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One immutable generation of verification keys: the {@link JWTAuth} that checks signatures and an
 * index of which (alg, kid) pairs it can check. Swapped whole on refresh, never edited. Keys reach the
 * JWT library only through its public {@link PubSecKeyOptions}, as PEM of keys parsed here ({@link Jwk},
 * {@link VerificationKey}).
 */
final class KeySet {

  private static final Logger LOG = LogManager.getLogger(KeySet.class);

  private record Entry(String alg, String kid, String material) {}

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

  /** Source keys in use (JWKS entries, the PEM key, or the secrets). */
  int size() {
    return size;
  }

  /** Whether some key can check this (alg, kid); a token without kid, or a key without one, matches any. */
  boolean has(String alg, String kid) {
    return entries.stream().anyMatch(e -> e.alg.equals(alg) && (kid == null || e.kid == null || kid.equals(e.kid)));
  }

  /** Whether a key carries this kid (whatever its algorithm): such a kid is known, never a reason to refetch. */
  boolean knows(String kid) {
    return kid != null && entries.stream().anyMatch(e -> kid.equals(e.kid));
  }

  /** The same keys for the same (alg, kid) pairs: a token one accepts, the other accepts too. */
  boolean sameKeys(KeySet other) {
    return other != null && entries.equals(other.entries) && size == other.size;
  }

  /** Every secret for every configured algorithm, the first (primary) tried first. */
  static KeySet fromSecrets(Vertx vertx, List<byte[]> secrets, JwtConfig config) {
    Builder builder = new Builder(config);
    for (byte[] secret : secrets) {
      for (String alg : config.algorithms()) {
        builder.add(alg, null, new PubSecKeyOptions().setBuffer(Buffer.buffer(secret)), digest(secret));
      }
    }
    return builder.build(vertx, secrets.size());
  }

  /** One key per configured algorithm the PEM key's type supports; none at all is a config error. */
  static KeySet fromPem(Vertx vertx, VerificationKey key, JwtConfig config) {
    Builder builder = new Builder(config);
    config.algorithms().stream().filter(key.algorithms()::contains).forEach(alg -> builder.add(alg, null, key));
    if (builder.entries.isEmpty()) {
      throw new IllegalArgumentException("the key fits none of jwt.algorithms " + config.algorithms());
    }
    return builder.build(vertx, 1);
  }

  /** Unsupported or unusable entries are skipped with a warning; the caller decides if none is a failure. */
  static KeySet fromJwks(Vertx vertx, JsonArray keys, JwtConfig config) {
    Builder builder = new Builder(config);
    int size = 0;
    for (Object key : keys) {
      size += key instanceof JsonObject jwk && addJwk(builder, jwk, config) ? 1 : 0;
    }
    return builder.build(vertx, size);
  }

  /** The JWK once per configured algorithm it may verify: its key type's, narrowed by its own {@code alg}. */
  private static boolean addJwk(Builder builder, JsonObject jwk, JwtConfig config) {
    Object use = jwk.getValue("use");
    if (use != null && !"sig".equals(use)) {
      return false;
    }
    VerificationKey key;
    try {
      key = VerificationKey.of(Jwk.publicKey(jwk));
    } catch (IllegalArgumentException e) {
      LOG.warn("JWKS: skipping key kid=" + kidOf(jwk) + ": " + e.getMessage());
      return false;
    }
    Object alg = jwk.getValue("alg");
    if (alg != null && !key.algorithms().contains(alg)) {
      LOG.warn("JWKS: skipping key kid=" + kidOf(jwk) + ": its alg does not fit its key type");
      return false;
    }
    String kid = jwk.getValue("kid") instanceof String s ? s : null;
    List<String> algorithms = config.algorithms().stream()
      .filter(a -> key.algorithms().contains(a) && (alg == null || a.equals(alg))).toList();
    algorithms.forEach(a -> builder.add(a, kid, key));
    return !algorithms.isEmpty();
  }

  private static String kidOf(JsonObject jwk) {
    Object kid = jwk.getValue("kid");
    return kid instanceof String s && s.length() <= 128 ? s : "?";
  }

  /** SHA-256 of key material: compares generations without keeping a secret in a second form. */
  private static String digest(byte[] material) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(material));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static final class Builder {
    private final JWTAuthOptions options;
    private final List<Entry> entries = new ArrayList<>();

    Builder(JwtConfig config) {
      options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setLeeway(config.clockSkewSeconds()));
    }

    void add(String alg, String kid, VerificationKey key) {
      add(alg, kid, new PubSecKeyOptions().setBuffer(key.pem()).setId(kid), digest(key.key().getEncoded()));
    }

    void add(String alg, String kid, PubSecKeyOptions key, String material) {
      options.addPubSecKey(key.setAlgorithm(alg));
      entries.add(new Entry(alg, kid, material));
    }

    KeySet build(Vertx vertx, int size) {
      return new KeySet(JWTAuth.create(vertx, options), entries, size);
    }
  }
}
