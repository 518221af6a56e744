package io.tokengateway.stats;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * {@code /admin/issuance} (CONTRACT §7): the latest counts message of every node seen, summed into
 * fleet totals. A node that left keeps its counted issuance in the totals. Only messages that
 * {@code admit} returns are counted (cluster/PeerCounts: the §9 shape, from a current member).
 */
public final class IssuanceView {

  private final Map<String, JsonObject> latestByNode = new ConcurrentHashMap<>();
  private final IntSupplier liveNodes;
  private final Function<Object, JsonObject> admit;
  private MessageConsumer<Object> consumer;

  public IssuanceView(IntSupplier liveNodes, Function<Object, JsonObject> admit) {
    this.liveNodes = liveNodes;
    this.admit = admit;
  }

  public Future<Void> start(Vertx vertx) {
    consumer = vertx.eventBus().consumer(StatsVerticle.COUNTS_ADDRESS, message -> accept(message.body()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void accept(Object body) {
    JsonObject message = admit.apply(body);
    if (message != null) {
      latestByNode.put(message.getString("node"), message);
    }
  }

  public JsonObject snapshot() {
    JsonObject tenants = new JsonObject();
    for (JsonObject message : latestByNode.values()) {
      message.getJsonObject("tenants").forEach(entry -> add(tenants, entry.getKey(), (JsonObject) entry.getValue()));
    }
    return new JsonObject().put("at", Instant.now().toString()).put("nodes", liveNodes.getAsInt())
      .put("tenants", tenants);
  }

  private static void add(JsonObject tenants, String tenant, JsonObject counts) {
    JsonObject sum = tenants.getJsonObject(tenant);
    if (sum == null) {
      sum = new JsonObject().put("issued", 0L).put("denied", 0L).put("failed", 0L);
      tenants.put(tenant, sum);
    }
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      String label = kind.label();
      sum.put(label, sum.getLong(label) + counts.getLong(label + "Total", 0L));
    }
    // CONTRACT §12: every node reports the cluster-wide leases (the largest is the freshest view); each node
    // its own waiting line (summed).
    if (counts.getValue("leased") instanceof Number leased) {
      sum.put("leased", Math.max(sum.getLong("leased", 0L), leased.longValue()));
    }
    if (counts.getValue("waiting") instanceof Number waiting) {
      sum.put("waiting", sum.getLong("waiting", 0L) + waiting.longValue());
    }
  }
}
