package io.tokengateway.tenant;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.ConfigException;
import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.ConfigNode;
import io.tokengateway.config.Origins;
import io.tokengateway.policy.TokenRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The tenants file (CONTRACT §4) validated into an immutable snapshot, looked up in O(1) by {@link #resolve}.
 * A reload swaps the whole snapshot at once (one volatile write); a bad file leaves the last good one.
 */
public final class TenantDirectory {

  private static final System.Logger LOG = System.getLogger(TenantDirectory.class.getName());

  public static final String UNKNOWN_REJECT = "reject";
  public static final String UNKNOWN_DEFAULTS = "defaults";
  /**
   * Tenant ids: 1–64 of [A-Za-z0-9._-], starting with a letter or digit. They become metric labels,
   * log fields and metadata, so they stay short and plain; "_defaults" (the stats key) can never clash.
   * With {@code unknownTenants: defaults}, a token naming an id outside this set is still unknown_tenant.
   */
  public static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  public static final int DEFAULT_EXPIRES_IN_SECONDS = 60;
  public static final int DEFAULT_MAX_EXPIRES_IN_SECONDS = 300;
  public static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(50, 100, 30);
  /** Upper bound for each rateLimit value: far above what one account key is worth, catches typos. */
  public static final int MAX_RATE = 1_000_000;
  private static final String DEFAULT_KEY_PATH = "decart.apiKeyEnv";

  /** One tenants-file entry before its key is resolved; {@code apiKeyEnv} null = decart.apiKeyEnv. */
  private record Profile(boolean enabled, String apiKeyEnv, String apiKeyEnvKey, int defaultExpiresIn,
                         int maxExpiresIn, List<String> models, List<String> origins, int maxSessionDuration,
                         RateLimit rateLimit) {}

  /** Configured tenants by id, and the template for unknown ids (null = {@code unknownTenants: reject}). */
  private record Snapshot(Map<String, Tenant> tenants, Tenant unknown) {}

  private static final Profile BUILT_IN = new Profile(true, null, null, DEFAULT_EXPIRES_IN_SECONDS,
    DEFAULT_MAX_EXPIRES_IN_SECONDS, List.of(), List.of(), 0, DEFAULT_RATE_LIMIT);

  private final String defaultKeyEnv;
  private final Map<String, String> env;
  /** Where the tenants came from; null for an in-memory directory (dev mode), which is never re-read. */
  private final String file;
  private volatile Snapshot snapshot;
  private volatile String lastReloadError;

  private TenantDirectory(Snapshot snapshot, String defaultKeyEnv, Map<String, String> env, String file) {
    this.snapshot = snapshot;
    this.defaultKeyEnv = defaultKeyEnv;
    this.env = env;
    this.file = file;
  }

  public static Future<TenantDirectory> load(Vertx vertx, String file, String defaultKeyEnv, Map<String, String> env) {
    return ConfigLoader.readYaml(vertx, file, "tenants.file")
      .map(yaml -> new TenantDirectory(of(yaml, defaultKeyEnv, env).snapshot, defaultKeyEnv, env, file));
  }

  /** Validates the whole file; the first fault is a {@link ConfigException} naming its key path. */
  public static TenantDirectory of(JsonObject tenantsYaml, String defaultKeyEnv, Map<String, String> env) {
    ConfigNode root = new ConfigNode(tenantsYaml, "", null);
    String unknownTenants = root.string("unknownTenants", UNKNOWN_REJECT);
    if (!UNKNOWN_REJECT.equals(unknownTenants) && !UNKNOWN_DEFAULTS.equals(unknownTenants)) {
      throw new ConfigException(root.keyPath("unknownTenants"), "must be reject or defaults");
    }
    Profile defaults = profile(root.child("defaults"), BUILT_IN);
    Map<String, Tenant> tenants = new HashMap<>();
    root.children("tenants").forEach((id, node) -> {
      if (!TENANT_ID.matcher(id).matches()) {
        throw new ConfigException(node.path(), "a tenant id must be 1-64 characters of [A-Za-z0-9._-], "
          + "starting with a letter or digit");
      }
      tenants.put(id, tenant(id, true, profile(node, defaults), defaultKeyEnv, env));
    });
    root.finish();
    Tenant unknown = UNKNOWN_DEFAULTS.equals(unknownTenants) ? tenant(null, false, defaults, defaultKeyEnv, env) : null;
    return new TenantDirectory(new Snapshot(Map.copyOf(tenants), unknown), defaultKeyEnv, env, null);
  }

  /** The caller's tenant, enabled; else 403 unknown_tenant / tenant_disabled. */
  public Tenant resolve(String tenantId) {
    Snapshot current = snapshot;
    Tenant tenant = tenantId == null ? null : current.tenants().get(tenantId);
    if (tenant == null) {
      if (current.unknown() == null || tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
        throw new GatewayException(ErrorCode.UNKNOWN_TENANT, "the token's tenant is not served by this gateway");
      }
      tenant = current.unknown().withId(tenantId);
    }
    if (!tenant.enabled()) {
      throw new GatewayException(ErrorCode.TENANT_DISABLED, "the token's tenant is disabled");
    }
    return tenant;
  }

  /** Number of configured tenants. */
  public int size() {
    return snapshot.tenants().size();
  }

  /** Swaps in a freshly loaded file atomically: a concurrent {@link #resolve} sees the old or the new one. */
  public void reload(TenantDirectory fresh) {
    snapshot = fresh.snapshot;
  }

  /**
   * Re-reads the file (CONTRACT §4 {@code tenants.reloadSeconds}): a valid change replaces the snapshot
   * in one write (true); a fault leaves the last good one in force with one ERROR line per distinct fault
   * (false); an unchanged file is null.
   */
  public Future<Boolean> reloadFrom(Vertx vertx) {
    return load(vertx, file, defaultKeyEnv, env).map(fresh -> {
      lastReloadError = null;
      if (fresh.snapshot.equals(snapshot)) {
        return (Boolean) null;
      }
      reload(fresh);
      LOG.log(Level.INFO, "tenants file " + file + " reloaded: " + fresh.size() + " tenants");
      return Boolean.TRUE;
    }).recover(e -> {
      if (Objects.equals(e.getMessage(), lastReloadError)) {
        return Future.succeededFuture(null);
      }
      lastReloadError = e.getMessage();
      LOG.log(Level.ERROR, "tenants file " + file + " ignored, the last good one stays in force: " + e.getMessage());
      return Future.succeededFuture(Boolean.FALSE);
    });
  }

  /**
   * Re-reads the file every {@code reloadSeconds} (0 = never; never for an in-memory directory), never
   * two reads at once; {@code onReload} hears true for an applied change, false for a rejected one.
   * Returns the timer id, or -1.
   */
  public long watch(Vertx vertx, int reloadSeconds, Consumer<Boolean> onReload) {
    if (reloadSeconds <= 0 || file == null) {
      return -1;
    }
    AtomicBoolean reading = new AtomicBoolean();
    return vertx.setPeriodic(reloadSeconds * 1000L, id -> {
      if (reading.compareAndSet(false, true)) {
        reloadFrom(vertx).onComplete(done -> {
          reading.set(false);
          if (done.result() != null) {
            onReload.accept(done.result());
          }
        });
      }
    });
  }

  /** The stats keys of every tenant now configured, plus the one shared by unknown tenants served with defaults. */
  public Set<String> statsKeys() {
    Set<String> keys = new HashSet<>(snapshot.tenants().keySet());
    keys.add(Tenant.DEFAULTS_STATS_KEY);
    return keys;
  }

  /**
   * A disabled tenant calls no one, so its key is not required. Only an entry that uses it reads
   * decart.apiKeyEnv, so a file where every tenant has its own key needs no default key.
   */
  private static Tenant tenant(String id, boolean configured, Profile p, String defaultKeyEnv, Map<String, String> env) {
    String apiKey = null;
    if (p.enabled()) {
      apiKey = p.apiKeyEnv() == null ? ConfigLoader.accountKey(DEFAULT_KEY_PATH, defaultKeyEnv, env)
        : ConfigLoader.accountKey(p.apiKeyEnvKey(), p.apiKeyEnv(), env);
    }
    return new Tenant(id, configured, p.enabled(), apiKey, p.defaultExpiresIn(), p.maxExpiresIn(), p.models(),
      p.origins(), p.maxSessionDuration(), p.rateLimit());
  }

  /**
   * One entry over its base (built-in values for {@code defaults}, {@code defaults} for a tenant): a key set
   * to null inherits, except {@code apiKeyEnv: null}, which means decart.apiKeyEnv. An inherited
   * defaultExpiresIn above this entry's maxExpiresIn is clamped; one set here must fit.
   */
  private static Profile profile(ConfigNode node, Profile base) {
    boolean keyEnvSet = node.has("apiKeyEnv");
    String keyEnv = node.string("apiKeyEnv", null);
    if (keyEnv != null && keyEnv.isBlank()) {
      throw new ConfigException(node.keyPath("apiKeyEnv"), "must name an environment variable, or be null");
    }
    int max = node.integer("maxExpiresIn", base.maxExpiresIn(), 1, TokenRequest.MAX_EXPIRES_IN_SECONDS);
    int dflt = node.integer("defaultExpiresIn", Math.min(base.defaultExpiresIn(), max), 1, max);
    Profile profile = new Profile(node.bool("enabled", base.enabled()),
      keyEnvSet ? keyEnv : base.apiKeyEnv(), keyEnvSet ? node.keyPath("apiKeyEnv") : base.apiKeyEnvKey(), dflt, max,
      list(node, "allowedModels", base.models(), s -> !s.isBlank(), "a non-blank model name"),
      list(node, "allowedOrigins", base.origins(), Origins::isOrigin, "an origin like https://host[:port]"),
      maxSessionDuration(node, base.maxSessionDuration()), rateLimit(node.child("rateLimit"), base.rateLimit()));
    node.finish();
    return profile;
  }

  private static List<String> list(ConfigNode node, String key, List<String> base, Predicate<String> valid,
                                   String entry) {
    List<String> list = node.strings(key, base);
    if (list.size() > TokenRequest.MAX_LIST_ENTRIES) {
      throw new ConfigException(node.keyPath(key), "at most " + TokenRequest.MAX_LIST_ENTRIES + " entries");
    }
    if (!list.stream().allMatch(valid)) {
      throw new ConfigException(node.keyPath(key), "each entry must be " + entry);
    }
    return list;
  }

  /** 0 = no limit; otherwise within Decart's minimum and our sanity bound (see {@link TokenRequest}). */
  private static int maxSessionDuration(ConfigNode node, int base) {
    int value = node.integer("maxSessionDuration", base, 0, TokenRequest.MAX_SESSION_DURATION_SECONDS);
    if (value != 0 && value < TokenRequest.MIN_SESSION_DURATION_SECONDS) {
      throw new ConfigException(node.keyPath("maxSessionDuration"),
        "must be 0 (none) or at least " + TokenRequest.MIN_SESSION_DURATION_SECONDS);
    }
    return value;
  }

  /** Merged key by key, so a tenant can change one limit and inherit the others. */
  private static RateLimit rateLimit(ConfigNode node, RateLimit base) {
    RateLimit limit = new RateLimit(node.integer("perSecond", base.perSecond(), 0, MAX_RATE),
      node.integer("burst", base.burst(), 0, MAX_RATE),
      node.integer("perUserPerMinute", base.perUserPerMinute(), 0, MAX_RATE));
    if (limit.perSecond() > 0 && limit.burst() == 0) {
      // A bucket that holds nothing would refuse every request of a tenant that looks rate-limited, not blocked.
      throw new ConfigException(node.keyPath("burst"), "must be at least 1 when perSecond is set");
    }
    node.finish();
    return limit;
  }
}
