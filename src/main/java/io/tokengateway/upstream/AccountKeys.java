package io.tokengateway.upstream;

import io.tokengateway.config.ConfigException;
import io.tokengateway.tenant.KeySource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The Decart account keys in use (CONTRACT §3, §14): one {@link KeyRing} per account, read from its
 * environment variable (one key) or key file (one per line, primary first). Key files are re-read
 * without blocking; a file that cannot be read or holds a bad key keeps the last good keys, with one
 * ERROR line per distinct fault. The only class that reads account keys.
 */
public final class AccountKeys {

  /** Decart account keys are {@code dct_…}; an {@code ek_} client token must never be configured as one. */
  static final String CLIENT_TOKEN_PREFIX = "ek_";
  /** Placeholders shipped in examples ({@code dct_REPLACE_ME}) are never keys. */
  static final String PLACEHOLDER_MARK = "REPLACE";
  private static final Logger LOG = LogManager.getLogger(AccountKeys.class);

  private final Map<String, String> env;
  private final long cooldownMs;
  private final LongSupplier clockMs;
  private final Map<String, KeyRing> rings = new ConcurrentHashMap<>();
  private final Map<String, KeySource> files = new ConcurrentHashMap<>();
  private final Map<String, String> lastFault = new ConcurrentHashMap<>();
  private final List<Consumer<KeyRing>> ringListeners = new CopyOnWriteArrayList<>();

  AccountKeys(Map<String, String> env, long cooldownMs, LongSupplier clockMs) {
    this.env = Map.copyOf(env);
    this.cooldownMs = cooldownMs;
    this.clockMs = clockMs;
  }

  /** Reads every source; the first bad one fails with a {@link ConfigException} naming its config key. */
  public static Future<AccountKeys> load(Vertx vertx, Collection<KeySource> sources, Map<String, String> env,
                                         int cooldownSeconds) {
    AccountKeys keys = new AccountKeys(env, cooldownSeconds * 1000L, () -> System.nanoTime() / 1_000_000);
    return keys.track(vertx, sources).map(keys);
  }

  /** Adds the sources not known yet (a reloaded tenants file); fails, adding none, when one is bad. */
  public Future<Void> track(Vertx vertx, Collection<KeySource> sources) {
    List<KeySource> fresh = sources.stream().filter(source -> !rings.containsKey(source.account())).distinct()
      .toList();
    List<Future<List<String>>> reads = fresh.stream().map(source -> read(vertx, source)).toList();
    return Future.all(reads).map(all -> {
      for (int i = 0; i < fresh.size(); i++) {
        add(fresh.get(i), reads.get(i).result());
      }
      return null;
    });
  }

  private void add(KeySource source, List<String> keys) {
    KeyRing ring = new KeyRing(source.account(), keys, cooldownMs, clockMs);
    if (rings.putIfAbsent(source.account(), ring) == null) {
      if (source.file()) {
        files.put(source.account(), source);
      }
      ringListeners.forEach(listener -> listener.accept(ring));
    }
  }

  /** The keys of {@code account}; every account of an enabled tenant has one (checked at load). */
  KeyRing ring(String account) {
    KeyRing ring = rings.get(account);
    if (ring == null) {
      throw new IllegalStateException("no keys loaded for account " + account);
    }
    return ring;
  }

  /** The key new requests of {@code account} use first, or null for an account not in use. */
  public String primaryKey(String account) {
    KeyRing ring = rings.get(account);
    return ring == null ? null : ring.primary();
  }

  /** Hears every ring as it is created (metrics register their counter per account). */
  public void onRing(Consumer<KeyRing> listener) {
    ringListeners.add(listener);
    rings.values().forEach(listener);
  }

  /** {@code /health/ready}'s body: per account {@code {"keys":N,"rejected":N}}; never a key. */
  public JsonObject health() {
    JsonObject accounts = new JsonObject();
    rings.values().stream().sorted((a, b) -> a.account().compareTo(b.account())).forEach(ring ->
      accounts.put(ring.account(), new JsonObject().put("keys", ring.size()).put("rejected", ring.rejected())));
    return accounts;
  }

  /** Re-reads every key file every {@code reloadSeconds} (0 = never), never two rounds at once. */
  public long watch(Vertx vertx, int reloadSeconds) {
    if (reloadSeconds <= 0) {
      return -1;
    }
    AtomicBoolean reading = new AtomicBoolean();
    return vertx.setPeriodic(reloadSeconds * 1000L, id -> {
      if (reading.compareAndSet(false, true)) {
        refresh(vertx).onComplete(done -> reading.set(false));
      }
    });
  }

  /** One round of re-reading the key files: a change applies to the next request; a fault keeps the last keys. */
  public Future<Void> refresh(Vertx vertx) {
    List<Future<Void>> reads = files.values().stream().map(source -> read(vertx, source)
      .map(keys -> {
        apply(source, keys);
        return (Void) null;
      })
      .recover(fault -> {
        reportOnce(source, fault.getMessage());
        return Future.succeededFuture();
      })).toList();
    return Future.join(reads).mapEmpty();
  }

  private void apply(KeySource source, List<String> keys) {
    lastFault.remove(source.account());
    KeyRing ring = rings.get(source.account());
    if (!ring.keys().equals(keys)) {
      ring.replace(keys);
      LOG.info("key file {} reloaded: {}", source.account(), describe(ring));
    }
  }

  private void reportOnce(KeySource source, String message) {
    if (!Objects.equals(lastFault.put(source.account(), message), message)) {
      LOG.error("key file {} ignored, the last good keys stay in use: {}", source.account(), message);
    }
  }

  private static String describe(KeyRing ring) {
    return ring.keys().stream().map(ring::name).collect(Collectors.joining(", ", ring.size() + " keys: ", ""));
  }

  private Future<List<String>> read(Vertx vertx, KeySource source) {
    if (!source.file()) {
      try {
        return Future.succeededFuture(List.of(validated(env.get(source.account()), source,
          "environment variable " + source.account())));
      } catch (ConfigException bad) {
        return Future.failedFuture(bad);
      }
    }
    return vertx.fileSystem().readFile(source.account())
      .recover(e -> Future.failedFuture(new ConfigException(source.configKey(),
        "cannot read key file " + source.account() + ": " + e.getClass().getSimpleName())))
      .map(bytes -> parseFile(bytes.toString(StandardCharsets.UTF_8), source));
  }

  /** One key per line, blank lines ignored; the first is the primary. */
  static List<String> parseFile(String text, KeySource source) {
    List<String> keys = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        keys.add(validated(lines.get(i), source, "key file " + source.account() + " line " + (i + 1)));
      }
    }
    if (keys.isEmpty()) {
      throw new ConfigException(source.configKey(), "key file " + source.account() + " holds no key");
    }
    if (keys.stream().distinct().count() != keys.size()) {
      throw new ConfigException(source.configKey(), "key file " + source.account() + " lists a key twice");
    }
    return keys;
  }

  /** CONTRACT §3: set, not empty, not a client token, not a placeholder. Messages never quote the value. */
  public static String validated(String value, KeySource source, String where) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(source.configKey(), where + (source.file() ? " is empty" : " is not set"));
    }
    String key = value.trim();
    if (key.startsWith(CLIENT_TOKEN_PREFIX)) {
      throw new ConfigException(source.configKey(), where + " holds a client token (ek_...), not a Decart account key");
    }
    if (key.toUpperCase(Locale.ROOT).contains(PLACEHOLDER_MARK)) {
      throw new ConfigException(source.configKey(), where + " holds a placeholder, not a Decart account key");
    }
    return key;
  }
}
