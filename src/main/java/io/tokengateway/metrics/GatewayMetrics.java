package io.tokengateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengateway.stats.Outcome;
import io.tokengateway.upstream.KeyRing;
import io.tokengateway.upstream.Resilience;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every metric of CONTRACT §7, declared once (STYLE §9). Tags come from closed sets (tenant stats
 * keys, error codes, fault labels); meters are looked up from small maps, never rebuilt per request.
 */
public final class GatewayMetrics {

  public static final String REQUESTS = "token_gateway.requests";
  public static final String DENIALS = "token_gateway.denials";
  public static final String AUTH_FAILURES = "token_gateway.auth.failures";
  public static final String UPSTREAM_DURATION = "token_gateway.upstream.duration";
  public static final String UPSTREAM_RETRIES = "token_gateway.upstream.retries";
  public static final String CIRCUIT_STATE = "token_gateway.circuit.state";
  public static final String KEY_REJECTIONS = "token_gateway.decart.key.rejections";
  public static final String CONFIG_RELOADS = "token_gateway.config.reloads";
  public static final String STREAM_DROPPED = "token_gateway.admin.stream.dropped";
  public static final String LOG_DROPPED = "token_gateway.log.lines.dropped";
  public static final String LEDGER_DROPPED = "token_gateway.ledger.dropped";
  public static final String SESSIONS_LEASED = "token_gateway.sessions.leased";
  public static final String SESSIONS_WAITING = "token_gateway.sessions.waiting";
  public static final String SESSION_REFUSALS = "token_gateway.session.refusals";
  public static final String SESSION_WAIT = "token_gateway.session.wait";
  /** Not named by the contract (§7 lists "at least"): the atomic check-and-take as a request waits for it. */
  public static final String SESSION_TAKE = "token_gateway.session.take";
  public static final String DECART_QUOTA = "token_gateway.decart.quota";

  private final PrometheusMeterRegistry registry;
  private final Map<String, TenantMeters> tenants = new ConcurrentHashMap<>();
  private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
  private final Map<String, Counter> others = new ConcurrentHashMap<>();
  private final Timer[] upstream = new Timer[Outcome.Kind.values().length];
  private final LazyTimer sessionWait = new LazyTimer(SESSION_WAIT, Duration.ofMillis(1));
  /** From 10 µs: a local take is microseconds, a clustered one a round trip of a fraction of a millisecond. */
  private final LazyTimer sessionTake = new LazyTimer(SESSION_TAKE, Duration.ofNanos(10_000));

  /** A histogram registered on its first use only: absent from /metrics while nobody uses the feature. */
  private final class LazyTimer {
    private final String name;
    private final Duration smallest;
    private volatile Timer timer;

    LazyTimer(String name, Duration smallest) {
      this.name = name;
      this.smallest = smallest;
    }

    void record(long nanos) {
      Timer registered = timer;
      if (registered == null) {
        registered = Timer.builder(name).publishPercentileHistogram().minimumExpectedValue(smallest)
          .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        timer = registered;
      }
      registered.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** One tenant's counters, built on its first request. */
  private final class TenantMeters {
    private final String tenant;
    private final Counter[] requests = new Counter[Outcome.Kind.values().length];
    private final Map<String, Counter> denials = new ConcurrentHashMap<>();

    TenantMeters(String tenant) {
      this.tenant = tenant;
      for (Outcome.Kind kind : Outcome.Kind.values()) {
        requests[kind.ordinal()] = Counter.builder(REQUESTS).tag("tenant", tenant).tag("outcome", kind.label())
          .register(registry);
      }
    }

    Counter denial(String code) {
      Counter counter = denials.get(code);
      return counter != null ? counter : denials.computeIfAbsent(code,
        c -> Counter.builder(DENIALS).tag("tenant", tenant).tag("reason", c).register(registry));
    }
  }

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      upstream[kind.ordinal()] = Timer.builder(UPSTREAM_DURATION).tag("outcome", kind.label())
        .publishPercentileHistogram().register(registry);
    }
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** One authenticated request's outcome: requests, denials and the upstream call's duration. */
  public void record(Outcome outcome) {
    TenantMeters meters = tenants.get(outcome.tenant());
    if (meters == null) {
      meters = tenants.computeIfAbsent(outcome.tenant(), TenantMeters::new);
    }
    meters.requests[outcome.kind().ordinal()].increment();
    if (outcome.kind() == Outcome.Kind.DENIED) {
      meters.denial(outcome.code()).increment();
    }
    if (outcome.attempts() > 0) {
      upstream[outcome.kind().ordinal()].record(outcome.upstreamNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** A request refused before its claims could be trusted: counted under no tenant (CONTRACT §7). */
  public void authFailure(String reason) {
    counter(authFailures, reason, () -> Counter.builder(AUTH_FAILURES).tag("reason", reason).register(registry))
      .increment();
  }

  public void configReload(boolean accepted) {
    String result = accepted ? "ok" : "rejected";
    counter(others, CONFIG_RELOADS + result,
      () -> Counter.builder(CONFIG_RELOADS).tag("result", result).register(registry)).increment();
  }

  public void streamDropped() {
    counter(others, STREAM_DROPPED, () -> Counter.builder(STREAM_DROPPED).register(registry)).increment();
  }

  /** The breaker's state (0 closed, 1 half-open, 2 open) and the retry count, read at scrape time. */
  public void watch(Resilience resilience) {
    Gauge.builder(CIRCUIT_STATE, resilience, r -> switch (r.circuitState()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    }).register(registry);
    FunctionCounter.builder(UPSTREAM_RETRIES, resilience, Resilience::retries).register(registry);
    FunctionCounter.builder(LOG_DROPPED, this, m -> io.tokengateway.logging.Logging.dropped()).register(registry);
  }

  /** Live issuance-ledger entries overwritten because the ledger was full (CONTRACT §13), read at scrape time. */
  public void watchLedger(java.util.function.LongSupplier dropped) {
    // The registry holds its state object weakly: hold the supplier from this long-lived object.
    FunctionCounter.builder(LEDGER_DROPPED, this, m -> dropped.getAsLong()).register(registry);
  }

  /** CONTRACT §14: {@code token_gateway_decart_key_rejections_total{account}}, read at scrape time. */
  public void watch(KeyRing ring) {
    FunctionCounter.builder(KEY_REJECTIONS, ring, KeyRing::rejections).tag("account", ring.account()).register(registry);
  }

  /** CONTRACT §12: a request refused by session admission ({@code reason} user | tenant | account | quota). */
  public void sessionRefused(String tenant, String reason) {
    counter(others, SESSION_REFUSALS + tenant + '\0' + reason, () -> Counter.builder(SESSION_REFUSALS)
      .tag("tenant", tenant).tag("reason", reason).register(registry)).increment();
  }

  /** How long a {@code Prefer: wait} request waited, admitted or not. */
  public void sessionWaited(long nanos) {
    sessionWait.record(nanos);
  }

  /**
   * How long one check-and-take took, from the request's side: the local compute on one node; in a cluster the
   * round trip to the account's partition owner and its backup, including the wait for the group commit.
   */
  public void sessionTaken(long nanos) {
    sessionTake.record(nanos);
  }

  /** The leased and waiting gauges of one tenant, read at scrape time (registering again is a no-op). */
  public void sessionGauges(String tenant, Supplier<Number> leased, Supplier<Number> waiting) {
    Gauge.builder(SESSIONS_LEASED, leased).tag("tenant", tenant).register(registry);
    Gauge.builder(SESSIONS_WAITING, waiting).tag("tenant", tenant).register(registry);
  }

  /** Decart's latest quota answer for an account: {@code field} limit | active | remaining. */
  public void decartQuota(String account, String field, Supplier<Number> value) {
    Gauge.builder(DECART_QUOTA, value).tag("account", account).tag("field", field).register(registry);
  }

  private static Counter counter(Map<String, Counter> counters, String key, Supplier<Counter> create) {
    Counter counter = counters.get(key);
    return counter != null ? counter : counters.computeIfAbsent(key, k -> create.get());
  }
}
