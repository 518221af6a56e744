package io.tokengateway.tenant;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.ConfigNode;
import io.tokengateway.decart.DecartRules;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads and validates the tenants file (CONTRACT §4 {@code tenants.yaml}): {@code defaults} over built-in
 * values, each tenant over {@code defaults}, each naming its Decart account's {@link KeySource} (the keys
 * are read by {@code upstream.AccountKeys}). The first fault is a {@link ConfigException} naming its key path.
 */
final class TenantsFile {

  static final String UNKNOWN_REJECT = "reject";
  static final String UNKNOWN_DEFAULTS = "defaults";
  public static final int DEFAULT_EXPIRES_IN_SECONDS = 60;
  public static final int DEFAULT_MAX_EXPIRES_IN_SECONDS = 300;
  public static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(50, 100, 30);
  /** Upper bound for each rateLimit value: far above what one account key is worth, catches typos. */
  public static final int MAX_RATE = 1_000_000;

  /** One tenants-file entry; no key source (both null) = the {@code decart} one. */
  private record Profile(boolean enabled, KeySource keySource,
                         int defaultExpiresIn, int maxExpiresIn, List<String> models, List<String> origins,
                         int maxSessionDuration, RateLimit rateLimit, SessionPolicy sessions,
                         List<String> blockedUsers) {}

  private static final Profile BUILT_IN = new Profile(true, null, DEFAULT_EXPIRES_IN_SECONDS,
    DEFAULT_MAX_EXPIRES_IN_SECONDS, List.of(), List.of(), 0, DEFAULT_RATE_LIMIT, SessionPolicy.OFF, List.of());

  /** Configured tenants by id, and the template for unknown ids (null = {@code unknownTenants: reject}). */
  record Parsed(Map<String, Tenant> tenants, Tenant unknown) {}

  private TenantsFile() {}

  /** Validates the whole file; the first fault is a {@link ConfigException} naming its key path. */
  static Parsed parse(JsonObject tenantsYaml, KeySource defaultSource) {
    ConfigNode root = new ConfigNode(tenantsYaml, "", null);
    String unknownTenants = root.string("unknownTenants", UNKNOWN_REJECT);
    if (!UNKNOWN_REJECT.equals(unknownTenants) && !UNKNOWN_DEFAULTS.equals(unknownTenants)) {
      throw new ConfigException(root.keyPath("unknownTenants"), "must be reject or defaults");
    }
    Profile defaults = profile(root.child("defaults"), BUILT_IN);
    Map<String, Tenant> tenants = new HashMap<>();
    root.children("tenants").forEach((id, node) -> {
      if (!TenantDirectory.TENANT_ID.matcher(id).matches()) {
        throw new ConfigException(node.path(), "a tenant id must be 1-64 characters of [A-Za-z0-9._-], "
          + "starting with a letter or digit");
      }
      tenants.put(id, tenant(id, true, profile(node, defaults), defaultSource));
    });
    root.finish();
    Tenant unknown = UNKNOWN_DEFAULTS.equals(unknownTenants) ? tenant(null, false, defaults, defaultSource) : null;
    return new Parsed(Map.copyOf(tenants), unknown);
  }

  private static Tenant tenant(String id, boolean configured, Profile p, KeySource defaultSource) {
    KeySource source = p.keySource() == null ? defaultSource : p.keySource();
    return new Tenant(id, configured, p.enabled(), source.account(), source, p.defaultExpiresIn(), p.maxExpiresIn(),
      p.models(), p.origins(), p.maxSessionDuration(), p.rateLimit(), p.sessions(), p.blockedUsers());
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
    boolean keyFileSet = node.has("apiKeyFile");
    String keyFile = node.string("apiKeyFile", null);
    if (keyFile != null && keyFile.isBlank()) {
      throw new ConfigException(node.keyPath("apiKeyFile"), "must name a file, or be null");
    }
    if (keyEnv != null && keyFile != null) {
      throw new ConfigException(node.keyPath("apiKeyFile"), "set apiKeyEnv or apiKeyFile, not both");
    }
    int max = node.integer("maxExpiresIn", base.maxExpiresIn(), DecartRules.MIN_EXPIRES_IN_SECONDS,
      DecartRules.MAX_EXPIRES_IN_SECONDS);
    int dflt = node.integer("defaultExpiresIn", Math.min(base.defaultExpiresIn(), max), 1, max);
    // Setting one key source replaces the inherited other one; apiKeyEnv: null means decart's.
    KeySource source = keyFile != null ? KeySource.file(keyFile, node.keyPath("apiKeyFile"))
      : keyEnv != null ? KeySource.env(keyEnv, node.keyPath("apiKeyEnv"))
      : keyEnvSet || keyFileSet ? null : base.keySource();
    Profile profile = new Profile(node.bool("enabled", base.enabled()), source, dflt, max,
      list(node, "allowedModels", base.models(), s -> !s.isBlank(), "a non-blank model name"),
      list(node, "allowedOrigins", base.origins(), DecartRules::isOrigin, "an origin like https://host[:port]"),
      maxSessionDuration(node, base.maxSessionDuration()), rateLimit(node.child("rateLimit"), base.rateLimit()),
      sessions(node.child("sessions"), base.sessions()),
      node.strings("blockedUsers", base.blockedUsers()));
    node.finish();
    return profile;
  }

  private static List<String> list(ConfigNode node, String key, List<String> base, Predicate<String> valid,
                                   String entry) {
    List<String> list = node.strings(key, base);
    if (list.size() > DecartRules.MAX_LIST_ENTRIES) {
      throw new ConfigException(node.keyPath(key), "at most " + DecartRules.MAX_LIST_ENTRIES + " entries");
    }
    if (!list.stream().allMatch(valid)) {
      throw new ConfigException(node.keyPath(key), "each entry must be " + entry);
    }
    return list;
  }

  /** 0 = no limit; otherwise within Decart's minimum and our sanity bound (see {@link DecartRules}). */
  private static int maxSessionDuration(ConfigNode node, int base) {
    int value = node.integer("maxSessionDuration", base, 0, DecartRules.MAX_SESSION_DURATION_SECONDS);
    if (value != 0 && value < DecartRules.MIN_SESSION_DURATION_SECONDS) {
      throw new ConfigException(node.keyPath("maxSessionDuration"),
        "must be 0 (none) or at least " + DecartRules.MIN_SESSION_DURATION_SECONDS);
    }
    return value;
  }

  /** Merged key by key like {@code rateLimit}; {@code guaranteed} cannot exceed {@code maxConcurrent}. */
  private static SessionPolicy sessions(ConfigNode node, SessionPolicy base) {
    int max = node.integer("maxConcurrent", base.maxConcurrent(), 0, MAX_RATE);
    SessionPolicy sessions = new SessionPolicy(max,
      node.integer("perUserMaxConcurrent", base.perUserMaxConcurrent(), 0, MAX_RATE),
      node.integer("guaranteed", Math.min(base.guaranteed(), max), 0, max),
      node.integer("defaultSessionSeconds", base.defaultSessionSeconds(), DecartRules.MIN_SESSION_DURATION_SECONDS,
        DecartRules.MAX_SESSION_DURATION_SECONDS),
      node.integer("maxWaitSeconds", base.maxWaitSeconds(), 0, 3600),
      node.integer("maxWaiting", base.maxWaiting(), 0, MAX_RATE));
    node.finish();
    return sessions;
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
