package io.tokengateway.stats;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stats sidecar (CONTRACT §9): counts the outcome events per tenant and publishes
 * {@code token-gateway.issuance.counts} every {@code stats.publishIntervalMs} (cluster-wide when
 * clustered). Deployed on its own worker thread: the request path only sends to it, never waits.
 */
public final class StatsVerticle extends VerticleBase {

  public static final String COUNTS_ADDRESS = "token-gateway.issuance.counts";

  /** One tenant's window and totals, confined to this verticle's thread. */
  private static final class Counts {
    final long[] window = new long[Outcome.Kind.values().length];
    final long[] total = new long[Outcome.Kind.values().length];
  }

  private final String nodeId;
  private final int intervalMs;
  private final Map<String, Counts> tenants = new HashMap<>();
  /** Per tenant stats key: {@code leased} and {@code waiting} (CONTRACT §12), read when publishing. */
  private final Supplier<Map<String, JsonObject>> sessions;
  private MessageConsumer<Outcome.Batch> consumer;
  private long timer;

  public StatsVerticle(String nodeId, int intervalMs) {
    this(nodeId, intervalMs, Map::of);
  }

  public StatsVerticle(String nodeId, int intervalMs, Supplier<Map<String, JsonObject>> sessions) {
    this.nodeId = nodeId;
    this.intervalMs = intervalMs;
    this.sessions = sessions;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(Outcome.ADDRESS,
      (Message<Outcome.Batch> message) -> message.body().outcomes().forEach(this::count));
    timer = vertx.setPeriodic(intervalMs, id -> publish());
    return consumer.completion();
  }

  /** A last message on the way out, so the final window is not lost. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    publish();
    return consumer.unregister();
  }

  private void count(Outcome outcome) {
    Counts counts = tenants.computeIfAbsent(outcome.tenant(), t -> new Counts());
    counts.window[outcome.kind().ordinal()]++;
    counts.total[outcome.kind().ordinal()]++;
  }

  private void publish() {
    JsonObject perTenant = new JsonObject();
    Map<String, JsonObject> leases = sessions.get();
    leases.keySet().forEach(tenant -> tenants.computeIfAbsent(tenant, t -> new Counts()));
    tenants.forEach((tenant, counts) -> {
      JsonObject entry = new JsonObject();
      for (Outcome.Kind kind : Outcome.Kind.values()) {
        entry.put(kind.label(), counts.window[kind.ordinal()]);
      }
      for (Outcome.Kind kind : Outcome.Kind.values()) {
        entry.put(kind.label() + "Total", counts.total[kind.ordinal()]);
      }
      JsonObject leased = leases.get(tenant);
      if (leased != null) {
        entry.put("leased", leased.getValue("leased")).put("waiting", leased.getValue("waiting"));
      }
      perTenant.put(tenant, entry);
      java.util.Arrays.fill(counts.window, 0);
    });
    vertx.eventBus().publish(COUNTS_ADDRESS, new JsonObject().put("node", nodeId).put("at", Instant.now().toString())
      .put("intervalMs", intervalMs).put("tenants", perTenant));
  }
}
