package io.tokengateway.stats;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

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
  private MessageConsumer<Outcome.Batch> consumer;
  private long timer;

  public StatsVerticle(String nodeId, int intervalMs) {
    this.nodeId = nodeId;
    this.intervalMs = intervalMs;
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
    tenants.forEach((tenant, counts) -> {
      JsonObject entry = new JsonObject();
      for (Outcome.Kind kind : Outcome.Kind.values()) {
        entry.put(kind.label(), counts.window[kind.ordinal()]);
      }
      for (Outcome.Kind kind : Outcome.Kind.values()) {
        entry.put(kind.label() + "Total", counts.total[kind.ordinal()]);
      }
      perTenant.put(tenant, entry);
      java.util.Arrays.fill(counts.window, 0);
    });
    vertx.eventBus().publish(COUNTS_ADDRESS, new JsonObject().put("node", nodeId).put("at", Instant.now().toString())
      .put("intervalMs", intervalMs).put("tenants", perTenant));
  }
}
