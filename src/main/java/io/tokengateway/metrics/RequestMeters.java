package io.tokengateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request meters of one side of Vert.x HTTP (server or client) under vertx-micrometer 5.0.7's names, help
 * texts and default labels ({@code method}, then {@code code}), each registered on its first use as 5.0.7 does
 * and then held here: a request finds its meters by method and status code without asking the registry.
 */
final class RequestMeters {

  /** What differs between the sides: 5.0.7's help texts and the meter counted per response. */
  enum Side {
    SERVER(MetricsDomain.HTTP_SERVER, "Number of requests being processed", "Number of processed requests",
      "Request processing time"),
    CLIENT(MetricsDomain.HTTP_CLIENT, "Number of requests waiting for a response", "Response count with codes",
      "Response time");

    private final MetricsDomain domain;
    private final String activeHelp;
    private final String responsesHelp;
    private final String timeHelp;

    Side(MetricsDomain domain, String activeHelp, String responsesHelp, String timeHelp) {
      this.domain = domain;
      this.activeHelp = activeHelp;
      this.responsesHelp = responsesHelp;
      this.timeHelp = timeHelp;
    }
  }

  /** 5.0.7 keeps its active-request counts per registry, so Vert.x instances sharing one registry share them. */
  private static final Map<MeterRegistry, ConcurrentMap<Meter.Id, LongAdder>> ACTIVE = new WeakHashMap<>();

  private final MeterRegistry registry;
  private final Side side;
  private final MetricsNaming names;
  private final ConcurrentMap<Meter.Id, LongAdder> active;
  private final ConcurrentMap<HttpMethod, Method> methods = new ConcurrentHashMap<>();
  private volatile Method unnamed;

  RequestMeters(MeterRegistry registry, MetricsNaming naming, Side side) {
    this.registry = registry;
    this.side = side;
    this.names = naming.withBaseName("vertx." + side.domain.toCategory() + ".");
    synchronized (ACTIVE) {
      this.active = ACTIVE.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    }
  }

  Method method(HttpMethod method) {
    Method meters = methods.get(method);
    return meters != null ? meters : methods.computeIfAbsent(method,
      m -> new Method(Tags.of(Label.HTTP_METHOD.toString(), m.toString())));
  }

  /** A pushed response: 5.0.7 drops its method label (it discards the result of {@code Tags.and}). */
  Method unnamed() {
    Method meters = unnamed;
    if (meters == null) {
      meters = new Method(Tags.empty());
      unnamed = meters;
    }
    return meters;
  }

  /** One method's meters; a second registration of any of them returns the first (Micrometer's rule). */
  final class Method {
    private final Tags tags;
    private final LongAdder inFlight;
    /** The client's count of requests sent, counted as each begins; the server counts per response. */
    private final Counter sent;
    private volatile Code[] codes = new Code[0];
    private volatile DistributionSummary requestBytes;
    private volatile Counter resets;
    private volatile Code uncoded;

    private Method(Tags tags) {
      this.tags = tags;
      this.inFlight = gauge(tags);
      this.sent = side == Side.SERVER ? null : Counter.builder(names.getHttpRequestsCount())
        .description("Number of requests sent").tags(tags).register(registry);
    }

    RequestMetric begin() {
      RequestMetric metric = new RequestMetric(this);
      inFlight.increment();
      if (sent != null) {
        sent.increment();
      }
      return metric;
    }

    void requestBytes(long bytes) {
      DistributionSummary summary = requestBytes;
      if (summary == null) {
        summary = DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes")
          .tags(tags).register(registry);
        requestBytes = summary;
      }
      summary.record(bytes);
    }

    void reset() {
      Counter counter = resets;
      if (counter == null) {
        counter = Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets")
          .tags(tags).register(registry);
        resets = counter;
      }
      counter.increment();
    }

    void ended() {
      inFlight.decrement();
    }

    /** A method sees a handful of codes: a scan of them costs less than a map, and nothing is allocated. */
    Code code(int status) {
      for (Code meters : codes) {
        if (meters.status == status) {
          return meters;
        }
      }
      return add(status);
    }

    private synchronized Code add(int status) {
      Code[] known = codes;
      for (Code meters : known) {
        if (meters.status == status) {
          return meters;
        }
      }
      Code meters = new Code(status, tags.and(Label.HTTP_CODE.toString(), String.valueOf(status)));
      Code[] grown = Arrays.copyOf(known, known.length + 1);
      grown[known.length] = meters;
      codes = grown;
      return meters;
    }

    /** A client response that ended without beginning: 5.0.7 records it without a code label. */
    Code uncoded() {
      Code meters = uncoded;
      if (meters == null) {
        meters = new Code(-1, tags);
        uncoded = meters;
      }
      return meters;
    }
  }

  /** One method and status code's response count, time and bytes, all three recorded at the response's end. */
  final class Code {
    private final int status;
    private final Counter responses;
    private final Timer time;
    private final DistributionSummary bytes;

    private Code(int status, Tags tags) {
      this.status = status;
      String count = side == Side.SERVER ? names.getHttpRequestsCount() : names.getHttpResponsesCount();
      responses = Counter.builder(count).description(side.responsesHelp).tags(tags).register(registry);
      time = Timer.builder(names.getHttpResponseTime()).description(side.timeHelp).tags(tags).register(registry);
      bytes = DistributionSummary.builder(names.getHttpResponseBytes()).description("Size of responses in bytes")
        .tags(tags).register(registry);
    }

    void record(RequestMetric metric, long responseBytes) {
      responses.increment();
      time.record(System.nanoTime() - metric.startNanos, TimeUnit.NANOSECONDS);
      bytes.record(responseBytes);
    }
  }

  /**
   * 5.0.7's gauge of requests in flight: one count per registry and meter id, read through a slot that is
   * filled once the id (after the registry's filters) is known.
   */
  private LongAdder gauge(Tags tags) {
    AtomicReference<LongAdder> slot = new AtomicReference<>();
    Meter.Id id = Gauge.builder(names.getHttpActiveRequests(), slot, RequestMeters::read)
      .description(side.activeHelp).tags(tags).strongReference(true).register(registry).getId();
    LongAdder count = active.computeIfAbsent(id, key -> new LongAdder());
    slot.set(count);
    return count;
  }

  private static double read(AtomicReference<LongAdder> slot) {
    LongAdder count = slot.get();
    return count == null ? Double.NaN : count.doubleValue();
  }
}
