package io.tokengateway.tenant;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The tenants (CONTRACT §4) as an immutable snapshot read by {@link TenantsFile}, looked up in O(1) by {@link #resolve}.
 * A reload swaps the whole snapshot at once (one volatile write); a bad file leaves the last good one.
 */
public final class TenantDirectory {

  private static final Logger LOG = LogManager.getLogger(TenantDirectory.class);

  /**
   * Tenant ids: 1–64 of [A-Za-z0-9._-], starting with a letter or digit. They become metric labels,
   * log fields and metadata, so they stay short and plain; "_defaults" (the stats key) can never clash.
   * With {@code unknownTenants: defaults}, a token naming an id outside this set is still unknown_tenant.
   */
  public static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private final KeySource defaultSource;
  /** Where the tenants came from; null for an in-memory directory (dev mode), which is never re-read. */
  private final String file;
  private volatile TenantsFile.Parsed snapshot;
  private volatile String lastReloadError;
  /** SHA-256 of the file's bytes as last parsed (good or bad): the same bytes are never parsed again. */
  private volatile String parsedDigest;
  /** How often the file's bytes were parsed after the first load (tests: unchanged bytes are not re-parsed). */
  private final java.util.concurrent.atomic.AtomicLong parses = new java.util.concurrent.atomic.AtomicLong();

  private TenantDirectory(TenantsFile.Parsed snapshot, KeySource defaultSource, String file) {
    this.snapshot = snapshot;
    this.defaultSource = defaultSource;
    this.file = file;
  }

  /** {@code defaultSource}: the account of tenants without a key source of their own ({@link KeySource#defaultOf}). */
  public static Future<TenantDirectory> load(Vertx vertx, String file, KeySource defaultSource) {
    return TenantsSource.read(vertx, file).compose(read -> read.yaml(vertx).map(yaml -> {
      TenantDirectory directory = new TenantDirectory(of(yaml, defaultSource).snapshot, defaultSource, file);
      directory.parsedDigest = read.digest();
      return directory;
    }));
  }

  /** Validates the whole file; the first fault is a {@link ConfigException} naming its key path. */
  public static TenantDirectory of(JsonObject tenantsYaml, KeySource defaultSource) {
    return new TenantDirectory(TenantsFile.parse(tenantsYaml, defaultSource), defaultSource, null);
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

  long parses() {
    return parses.get();
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
   * (false); an unchanged file is null, and bytes already parsed are not parsed again (CONTRACT §4).
   * {@code accounts} must accept the new file's key sources first (their keys readable and valid), else the
   * change is a fault too.
   */
  public Future<Boolean> reloadFrom(Vertx vertx, Function<Set<KeySource>, Future<?>> accounts) {
    return TenantsSource.read(vertx, file).compose(read -> {
      if (read.digest().equals(parsedDigest)) {
        return Future.succeededFuture((Boolean) null);
      }
      parses.incrementAndGet();
      // Bytes that fail to parse are final; a change whose accounts cannot be loaded yet (a key file not
      // there yet) is tried again at the next period, so its digest is recorded only once it applied.
      return read.yaml(vertx).map(yaml -> of(yaml, defaultSource))
        .onFailure(parseFault -> parsedDigest = read.digest())
        .compose(fresh -> fresh.snapshot.equals(snapshot) ? Future.succeededFuture((TenantDirectory) null)
          : accounts.apply(fresh.keySources()).map(fresh))
        .onSuccess(applied -> parsedDigest = read.digest())
        .map(this::apply);
    }).recover(this::rejected);
  }

  private Boolean apply(TenantDirectory fresh) {
    lastReloadError = null;
    if (fresh == null) {
      return null;
    }
    reload(fresh);
    LOG.info("tenants file {} reloaded: {} tenants", file, fresh.size());
    return Boolean.TRUE;
  }

  private Future<Boolean> rejected(Throwable e) {
    if (Objects.equals(e.getMessage(), lastReloadError)) {
      return Future.succeededFuture(null);
    }
    lastReloadError = e.getMessage();
    LOG.error("tenants file {} ignored, the last good one stays in force: {}", file, e.getMessage());
    return Future.succeededFuture(Boolean.FALSE);
  }

  public Future<Boolean> reloadFrom(Vertx vertx) {
    return reloadFrom(vertx, sources -> Future.succeededFuture());
  }

  public long watch(Vertx vertx, int reloadSeconds, Consumer<Boolean> onReload) {
    return watch(vertx, reloadSeconds, sources -> Future.succeededFuture(), onReload);
  }

  /**
   * Re-reads the file every {@code reloadSeconds} (0 = never; never for an in-memory directory), never
   * two reads at once; {@code onReload} hears true for an applied change, false for a rejected one.
   * Returns the timer id, or -1.
   */
  public long watch(Vertx vertx, int reloadSeconds, Function<Set<KeySource>, Future<?>> accounts,
                    Consumer<Boolean> onReload) {
    if (reloadSeconds <= 0 || file == null) {
      return -1;
    }
    AtomicBoolean reading = new AtomicBoolean();
    return vertx.setPeriodic(reloadSeconds * 1000L, id -> {
      if (reading.compareAndSet(false, true)) {
        reloadFrom(vertx, accounts).onComplete(done -> {
          reading.set(false);
          if (done.result() != null) {
            onReload.accept(done.result());
          }
        });
      }
    });
  }

  /**
   * tenants.yaml {@code blockedUsers} by tenant id (CONTRACT §13 permanent blocks), only tenants that list
   * any; those of {@code defaults} for unknown tenants under {@value Tenant#DEFAULTS_STATS_KEY}.
   */
  public Map<String, java.util.List<String>> blockedUsers() {
    TenantsFile.Parsed current = snapshot;
    Map<String, java.util.List<String>> blocked = new java.util.TreeMap<>();
    current.tenants().forEach((id, tenant) -> {
      if (!tenant.blockedUsers().isEmpty()) {
        blocked.put(id, tenant.blockedUsers());
      }
    });
    if (current.unknown() != null && !current.unknown().blockedUsers().isEmpty()) {
      blocked.put(Tenant.DEFAULTS_STATS_KEY, current.unknown().blockedUsers());
    }
    return blocked;
  }

  /** The key sources of every enabled tenant (and of unknown tenants served with defaults): the accounts in use. */
  public Set<KeySource> keySources() {
    TenantsFile.Parsed current = snapshot;
    Set<KeySource> sources = new HashSet<>();
    current.tenants().values().stream().filter(Tenant::enabled).forEach(tenant -> sources.add(tenant.keySource()));
    if (current.unknown() != null && current.unknown().enabled()) {
      sources.add(current.unknown().keySource());
    }
    return sources;
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
