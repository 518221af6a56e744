package io.tokengateway.control;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The ledger cluster-wide (CONTRACT §13): every node answers queries about its own {@link Ledger} on its
 * own address; a query asks every current member (itself included) and merges. A member that does not
 * answer within {@link #ANSWER_TIMEOUT_MS} is named in {@code missing} instead of failing the whole answer.
 */
final class FleetLedger {

  static final String ADDRESS_PREFIX = "token-gateway.ledger.";
  /** Long enough for a busy node's scan, short enough for an operator waiting on a block's answer. */
  static final long ANSWER_TIMEOUT_MS = 2000;

  /** What the members answered, and the ids of those that did not. */
  record Answers(List<JsonObject> answers, List<String> missing) {}

  private final Vertx vertx;
  private final Ledger ledger;
  private final String node;
  private final Supplier<List<String>> members;
  private MessageConsumer<JsonObject> consumer;

  FleetLedger(Vertx vertx, Ledger ledger, String node, Supplier<List<String>> members) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.node = node;
    this.members = members;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(ADDRESS_PREFIX + node, this::answer);
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Live entries of the scope on every member, newest first, at most {@code limit}. */
  Future<JsonObject> entries(String tenant, String user, int limit) {
    JsonObject query = new JsonObject().put("query", "entries").put("tenant", tenant).put("user", user)
      .put("limit", limit);
    return ask(query).map(answers -> {
      List<JsonObject> merged = new ArrayList<>();
      answers.answers().forEach(answer -> answer.getJsonArray("entries").forEach(e -> merged.add((JsonObject) e)));
      merged.sort(Comparator.comparing((JsonObject e) -> Instant.parse(e.getString("issuedAt"))).reversed());
      return new JsonObject().put("entries", new JsonArray(merged.subList(0, Math.min(limit, merged.size()))))
        .put("missing", new JsonArray(answers.missing()));
    });
  }

  /** The scope's exposure summed over every member that answered. */
  Future<Answers> exposure(String tenant, String user) {
    return ask(new JsonObject().put("query", "exposure").put("tenant", tenant).put("user", user));
  }

  static Exposure sum(Answers answers) {
    return answers.answers().stream().map(Exposure::fromJson).reduce(Exposure.NONE, Exposure::plus);
  }

  private Future<Answers> ask(JsonObject query) {
    List<String> ids = members.get();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(ANSWER_TIMEOUT_MS);
    List<Future<Message<JsonObject>>> asked = ids.stream()
      .map(id -> vertx.eventBus().<JsonObject>request(ADDRESS_PREFIX + id, query, options)).toList();
    return Future.join(asked).otherwiseEmpty().map(v -> {
      List<JsonObject> answers = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        Future<Message<JsonObject>> answer = asked.get(i);
        if (answer.succeeded()) {
          answers.add(answer.result().body());
        } else {
          missing.add(ids.get(i));
        }
      }
      return new Answers(answers, missing);
    });
  }

  /** The scan runs off the event loop: a full ring is up to {@code ledgerMaxEntries} slots. */
  private void answer(Message<JsonObject> message) {
    JsonObject query = message.body();
    String tenant = query.getString("tenant");
    String user = query.getString("user");
    vertx.executeBlocking(() -> "exposure".equals(query.getString("query"))
        ? ledger.exposure(tenant, user).toWire()
        : new JsonObject().put("entries", new JsonArray(ledger.entries(tenant, user, query.getInteger("limit"))
          .stream().map(LedgerEntry::toJson).toList())), false)
      .onSuccess(message::reply)
      .onFailure(e -> message.fail(500, "ledger query failed"));
  }
}
