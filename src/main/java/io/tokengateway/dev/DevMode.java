package io.tokengateway.dev;

import io.tokengateway.config.GatewayConfig;
import io.tokengateway.decart.DecartRules;
import io.tokengateway.tenant.KeySource;
import io.tokengateway.tenant.TenantDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.JWTOptions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code --dev} (CONTRACT §8): an embedded Decart simulator, a generated HS256 secret, tenant
 * {@code dev}, loopback only, and a ready-to-paste curl. Nothing here runs without the flag.
 */
public final class DevMode {

  public static final String TENANT = "dev";
  public static final String SECRET_ENV = "TOKEN_GATEWAY_DEV_HMAC_SECRET";
  public static final String KEY_ENV = "TOKEN_GATEWAY_DEV_DECART_KEY";
  static final String LOOPBACK = "127.0.0.1";
  static final int SESSION_TOKEN_SECONDS = 3600;
  static final int SESSIONS_MAX_CONCURRENT = 8;
  static final int SESSION_SECONDS = 60;
  private static final Logger LOG = LogManager.getLogger(DevMode.class);

  private final DecartSimulator simulator;
  private final String secret;

  private DevMode(DecartSimulator simulator, String secret) {
    this.simulator = simulator;
    this.secret = secret;
  }

  /** Starts the simulator and puts the generated secret and account key into {@code env}. */
  public static Future<DevMode> start(Vertx vertx, Map<String, String> env) {
    String secret = random(32);
    String accountKey = "dct_dev_" + random(24);
    env.put(SECRET_ENV, secret);
    env.put(KEY_ENV, accountKey);
    // Dev mode must stay on loopback and on its simulator whatever the environment says.
    env.keySet().removeIf(name -> name.matches("GATEWAY_(SERVER_HOST|MANAGEMENT_HOST|DECART_.*|JWT_.*|CLUSTER_.*)"));
    LOG.warn("DEV MODE: embedded Decart simulator, generated secrets, loopback only. Not for production.");
    return DecartSimulator.start(vertx, new DecartSimulator.Options(LOOPBACK, 0, Set.of(accountKey), 0, 0))
      .map(simulator -> new DevMode(simulator, secret));
  }

  /** Rewrites the raw config: loopback hosts, the simulator as Decart, the generated HS256 secret. */
  public JsonObject patch(JsonObject raw) {
    JsonObject config = raw.copy();
    child(config, "server").put("host", LOOPBACK);
    child(config, "management").put("host", LOOPBACK);
    child(config, "decart").put("baseUrl", simulator.baseUrl()).put("apiKeyEnv", KEY_ENV);
    config.put("jwt", new JsonObject().put("hmacSecretEnv", SECRET_ENV).put("algorithms", new JsonArray().add("HS256"))
      .put("allowAnyAudience", true));
    config.put("cluster", new JsonObject().put("enabled", false));
    return config;
  }

  public TenantDirectory tenants(GatewayConfig config) {
    // Admission on, under the simulator's limit of 10, with short sessions: a newcomer sees leases at work
    // without being locked out for long.
    JsonObject sessions = new JsonObject().put("maxConcurrent", SESSIONS_MAX_CONCURRENT)
      .put("defaultSessionSeconds", SESSION_SECONDS);
    JsonObject tenants = new JsonObject().put("unknownTenants", "reject")
      .put("tenants", new JsonObject().put(TENANT, new JsonObject().put("sessions", sessions)));
    return TenantDirectory.of(tenants, KeySource.defaultOf(config.decart()));
  }

  /**
   * Prints the curl commands a developer pastes (CONTRACT §8): a token, its lease's heartbeat and release.
   * Deliberately a print, not a log record: it holds a (throwaway) session token, and no log line may hold a
   * token (§7); nor is it an event to ship.
   */
  public void announce(int publicPort) {
    String base = "http://" + LOOPBACK + ":" + publicPort;
    String bearer = " -H 'Authorization: Bearer " + sessionToken() + "'";
    String curl = "curl -s -X POST " + base + DecartRules.TOKEN_PATH + bearer
      + " -H 'Content-Type: application/json' -d '{\"expiresIn\":60}' -i";
    String lease = base + "/v1/sessions/$LEASE";
    String n = System.lineSeparator();
    // allowed: the §8 curl lines go to stdout on purpose; they hold a token, which no log line may (§7)
    System.out.println(n + "Dev mode is up. Get a client token with:" + n + n + curl + n + n  // allowed: dev-mode instructions on stdout
      + "Tenant dev holds a session lease per token (" + SESSIONS_MAX_CONCURRENT + " at once, " + SESSION_SECONDS
      + " s sessions): set LEASE to the answer's Session-Lease header, then keep it alive while the session runs"
      + " and give it back when it ends:" + n + n
      + "curl -s -X POST " + lease + "/heartbeat" + bearer + " -i" + n
      + "curl -s -X DELETE " + lease + bearer + " -i" + n);
  }

  /** A one-hour session token for user {@code dev-user} of tenant {@code dev}. */
  public String sessionToken() {
    JWTAuth auth = JWTAuth.create(null, new JWTAuthOptions().addPubSecKey(
      new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Buffer.buffer(secret))));
    JsonObject claims = new JsonObject().put("sub", "dev-user").put("tenant_id", TENANT).put("sid", "dev-session");
    return auth.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(SESSION_TOKEN_SECONDS));
  }

  private static JsonObject child(JsonObject parent, String key) {
    JsonObject child = parent.getJsonObject(key);
    if (child == null) {
      child = new JsonObject();
      parent.put(key, child);
    }
    return child;
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
