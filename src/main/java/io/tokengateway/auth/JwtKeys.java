package io.tokengateway.auth;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.JwtConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The verification keys (CONTRACT §4 {@code jwt}, §7, §14): exactly one source, a JWKS URI, a PEM file or
 * HMAC secrets. A JWKS is refreshed on a schedule and on demand for an unknown kid (one fetch at a
 * time, demand fetches rate-limited); a PEM file is re-read every reload interval; a failed refresh keeps
 * the last good key set, and one that brings the same keys keeps the current generation (and so the
 * verified-token cache).
 */
public final class JwtKeys {

  /**
   * Demand fetches (unknown kid, or no keys yet) happen at most once per this interval; scheduled
   * refreshes do not count against it, so a kid rotated in just after a refresh is still found.
   */
  public static final long UNKNOWN_KID_REFETCH_INTERVAL_MS = 10_000;

  private static final Logger LOG = LogManager.getLogger(JwtKeys.class);

  private final Vertx vertx;
  private final JwtConfig config;
  private final String source;
  private final JwksFetcher fetcher;
  private final long refetchIntervalNanos;
  private volatile KeySet keys;
  private volatile Instant lastRefresh;
  private volatile String lastError;
  private volatile boolean lastFetchFailed;
  private final Object lock = new Object();
  private Future<Void> inFlight;
  private long lastDemandFetchNanos;
  private boolean demandFetched;
  private long timerId = -1;
  private boolean closed;

  private JwtKeys(Vertx vertx, JwtConfig config, String source, JwksFetcher fetcher, long refetchIntervalMs) {
    this.vertx = vertx;
    this.config = config;
    this.source = source;
    this.fetcher = fetcher;
    this.refetchIntervalNanos = TimeUnit.MILLISECONDS.toNanos(refetchIntervalMs);
  }

  /** {@code fileReloadSeconds}: how often a {@code publicKeyFile} is re-read ({@code tenants.reloadSeconds}); 0 = never. */
  public static Future<JwtKeys> start(Vertx vertx, JwtConfig config, Map<String, String> env, int fileReloadSeconds) {
    return start(vertx, config, env, UNKNOWN_KID_REFETCH_INTERVAL_MS, TimeUnit.SECONDS.toMillis(fileReloadSeconds));
  }

  /**
   * Loads the configured keys. A bad PEM file or HMAC secret fails with a {@link ConfigException};
   * an unreachable JWKS does not: the result is not {@link #loaded()} and keeps retrying.
   */
  static Future<JwtKeys> start(Vertx vertx, JwtConfig config, Map<String, String> env, long refetchIntervalMs,
                               long fileReloadMs) {
    try {
      if (config.jwksUri() != null) {
        JwtKeys keys = new JwtKeys(vertx, config, "jwks", new JwksFetcher(vertx, config.jwksUri()), refetchIntervalMs);
        return keys.fetch().map(v -> keys.schedule());
      }
      if (config.publicKeyFile() != null) {
        JwtKeys keys = new JwtKeys(vertx, config, "publicKeyFile", null, refetchIntervalMs);
        return PublicKeyFile.load(vertx, config).map(file -> keys.watch(file, fileReloadMs));
      }
      JwtKeys keys = new JwtKeys(vertx, config, "hmacSecretEnv", null, refetchIntervalMs);
      keys.install(KeySet.fromSecrets(vertx, HmacSecrets.read(config, env), config));
      return Future.succeededFuture(keys);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Installs the startup key and re-reads the file every {@code reloadMs}, one read at a time. */
  private JwtKeys watch(PublicKeyFile file, long reloadMs) {
    install(file.initial());
    if (reloadMs > 0) {
      reloadAfter(file, reloadMs);
    }
    return this;
  }

  private void reloadAfter(PublicKeyFile file, long reloadMs) {
    synchronized (lock) {
      if (!closed) {
        timerId = vertx.setTimer(reloadMs, id -> file.reload().onComplete(ar -> {
          if (ar.succeeded() && ar.result() != null) {
            install(ar.result());
          }
          lastError = file.fault();
          reloadAfter(file, reloadMs);
        }));
      }
    }
  }

  /** A key set has been loaded at least once (readiness, CONTRACT §7). */
  public boolean loaded() {
    return keys != null;
  }

  /** Source, state and last error for {@code /health/ready}; never key material. */
  public JsonObject health() {
    KeySet current = keys;
    return new JsonObject().put("source", source).put("loaded", current != null)
      .put("keys", current == null ? 0 : current.size())
      .put("lastRefresh", lastRefresh == null ? null : lastRefresh.toString()).put("lastError", lastError);
  }

  public Future<Void> close() {
    synchronized (lock) {
      closed = true;
      vertx.cancelTimer(timerId);
    }
    if (fetcher != null) {
      fetcher.close();
    }
    return Future.succeededFuture();
  }

  /** The key set in use; null until one is loaded. */
  KeySet current() {
    return keys;
  }

  /** Whether keys can be fetched again (a JWKS), as opposed to fixed at startup. */
  boolean refetchable() {
    return fetcher != null;
  }

  /** The last JWKS fetch failed (endpoint down, or an unusable answer): a missing key is not the caller's fault. */
  boolean unavailable() {
    return keys == null || lastFetchFailed;
  }

  /**
   * A fetch on behalf of a token whose key is missing: joins the one in flight, else starts one unless
   * the last demand fetch was less than the refetch interval ago. Never fails; check {@link #current()}.
   */
  Future<Void> refetchForUnknownKid() {
    synchronized (lock) {
      if (inFlight == null && demandFetched && System.nanoTime() - lastDemandFetchNanos < refetchIntervalNanos) {
        return Future.succeededFuture();
      }
      if (inFlight == null) {
        demandFetched = true;
        lastDemandFetchNanos = System.nanoTime();
      }
    }
    return fetch();
  }

  /** Seconds until a demand fetch may run again: the {@code Retry-After} of auth_unavailable. */
  long retryAfterSeconds() {
    synchronized (lock) {
      long remaining = demandFetched ? refetchIntervalNanos - (System.nanoTime() - lastDemandFetchNanos) : 0;
      long seconds = TimeUnit.NANOSECONDS.toSeconds(Math.max(0, remaining) + TimeUnit.SECONDS.toNanos(1) - 1);
      return Math.max(1, seconds);
    }
  }

  /** Single-flight: callers arriving while a fetch runs share it. */
  private Future<Void> fetch() {
    Promise<Void> done = Promise.promise();
    synchronized (lock) {
      if (inFlight != null) {
        return inFlight;
      }
      inFlight = done.future();
    }
    fetcher.fetch().onComplete(result -> {
      apply(result);
      synchronized (lock) {
        inFlight = null;
      }
      done.complete();
    });
    return done.future();
  }

  private void apply(AsyncResult<JsonArray> result) {
    try {
      if (result.failed()) {
        throw result.cause();
      }
      KeySet fetched = KeySet.fromJwks(vertx, result.result(), config);
      if (fetched.size() == 0) {
        throw new IllegalStateException("no usable key");
      }
      install(fetched);
      lastFetchFailed = false;
    } catch (Throwable e) {
      lastError = "JWKS " + e.getMessage();
      lastFetchFailed = true;
      LOG.warn("JWT keys: refresh failed: " + lastError
        + (keys == null ? "; no key set loaded yet" : "; keeping the last good key set"));
    }
  }

  /** Same keys as in use: the current generation stays, so tokens it verified stay cached. */
  private void install(KeySet fetched) {
    if (!fetched.sameKeys(keys)) {
      keys = fetched;
    }
    lastRefresh = Instant.now();
    lastError = null;
  }

  /** Refresh on schedule; while nothing is loaded, retry at the (shorter) refetch interval. */
  private JwtKeys schedule() {
    long refreshMs = TimeUnit.SECONDS.toMillis(config.jwksRefreshSeconds());
    long delayMs = loaded() ? refreshMs : Math.min(refreshMs, TimeUnit.NANOSECONDS.toMillis(refetchIntervalNanos));
    synchronized (lock) {
      if (!closed) {
        timerId = vertx.setTimer(Math.max(1, delayMs), id -> fetch().onComplete(ar -> schedule()));
      }
    }
    return this;
  }
}
