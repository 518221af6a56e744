package io.tokengateway.tenant;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.ConfigException;
import io.tokengateway.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The tenants (CONTRACT §4) as an immutable snapshot read by {@link TenantsFile}, looked up in O(1) by {@link #resolve}.
 * A reload swaps the whole snapshot at once (one volatile write); a bad file leaves the last good one.
 */
public final class TenantDirectory {

  private static final System.Logger LOG = System.getLogger(TenantDirectory.class.getName());

  /**
   * Tenant ids: 1–64 of [A-Za-z0-9._-], starting with a letter or digit. They become metric labels,
   * log fields and metadata, so they stay short and plain; "_defaults" (the stats key) can never clash.
   * With {@code unknownTenants: defaults}, a token naming an id outside this set is still unknown_tenant.
   */
  public static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private final String defaultKeyEnv;
  private final Map<String, String> env;
  /** Where the tenants came from; null for an in-memory directory (dev mode), which is never re-read. */
  private final String file;
  private volatile TenantsFile.Parsed snapshot;
  private volatile String lastReloadError;

  private TenantDirectory(TenantsFile.Parsed snapshot, String defaultKeyEnv, Map<String, String> env, String file) {
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
    return new TenantDirectory(TenantsFile.parse(tenantsYaml, defaultKeyEnv, env), defaultKeyEnv, env, null);
  }

  /** The caller's tenant, enabled; else 403 unknown_tenant / tenant_disabled. */
  public Tenant resolve(String tenantId) {
    TenantsFile.Parsed current = snapshot;
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

  /** Every configured tenant by id, as of the current snapshot (the same map until a reload replaces it). */
  public Map<String, Tenant> configured() {
    return snapshot.tenants();
  }

  /** The stats keys of every tenant now configured, plus the one shared by unknown tenants served with defaults. */
  public Set<String> statsKeys() {
    Set<String> keys = new HashSet<>(snapshot.tenants().keySet());
    keys.add(Tenant.DEFAULTS_STATS_KEY);
    return keys;
  }

}
