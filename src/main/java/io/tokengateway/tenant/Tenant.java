package io.tokengateway.tenant;

import java.util.List;

/**
 * One tenant's resolved settings (CONTRACT §4): {@code defaults} merged with its own entry, and its
 * Decart account: {@code account} names the key source (env var or key file, CONTRACT §12 "an account"),
 * {@code keySource} says which kind it is; the keys themselves live in {@code upstream.AccountKeys}. {@code configured} is false for an id served through
 * {@code unknownTenants: defaults}. Empty lists and a 0 {@code maxSessionDuration} mean "no restriction".
 */
public record Tenant(String id, boolean configured, boolean enabled, String account, KeySource keySource,
                     int defaultExpiresIn, int maxExpiresIn, List<String> allowedModels, List<String> allowedOrigins,
                     int maxSessionDuration, RateLimit rateLimit, SessionPolicy sessions, List<String> blockedUsers) {

  /** The stats/metrics label of every unconfigured tenant: keeps label cardinality bounded. */
  public static final String DEFAULTS_STATS_KEY = "_defaults";

  public Tenant {
    allowedModels = List.copyOf(allowedModels);
    allowedOrigins = List.copyOf(allowedOrigins);
    blockedUsers = List.copyOf(blockedUsers);
  }

  /** The label under which this tenant is counted: its id when configured, else {@value #DEFAULTS_STATS_KEY}. */
  public String statsKey() {
    return configured ? id : DEFAULTS_STATS_KEY;
  }

  /** The same settings under another id (an unknown tenant served with {@code defaults}). */
  Tenant withId(String newId) {
    return new Tenant(newId, configured, enabled, account, keySource, defaultExpiresIn, maxExpiresIn, allowedModels,
      allowedOrigins, maxSessionDuration, rateLimit, sessions, blockedUsers);
  }

}
