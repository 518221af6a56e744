package io.tokengateway.http;

import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.stats.StatsVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/issuance/stream} (CONTRACT §7): Server-Sent Events, one {@code data:} line per
 * published counts message, a heartbeat comment every 15 s. A subscriber that does not read is
 * skipped (and counted) while its write queue is full, so it never holds up others or grows memory.
 */
final class AdminStream {

  static final long HEARTBEAT_MS = 15_000;
  /** Bytes queued for one subscriber before messages to it are dropped. */
  static final int MAX_QUEUED_BYTES = 64 * 1024;
  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private final Vertx vertx;
  private final GatewayMetrics metrics;

  AdminStream(Vertx vertx, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response()
      .putHeader("content-type", "text/event-stream")
      .putHeader("cache-control", "no-store")
      .setChunked(true)
      .setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    response.write(": connected\n\n");
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(StatsVerticle.COUNTS_ADDRESS,
      message -> send(response, Buffer.buffer("data: " + message.body().encode() + "\n\n")));
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> send(response, HEARTBEAT));
    response.closeHandler(closed -> {
      vertx.cancelTimer(heartbeat);
      consumer.unregister();
    });
  }

  private void send(HttpServerResponse response, Buffer event) {
    if (response.closed()) {
      return;
    }
    if (response.writeQueueFull()) {
      metrics.streamDropped();
      return;
    }
    response.write(event);
  }
}
