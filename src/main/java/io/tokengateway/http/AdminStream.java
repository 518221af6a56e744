package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.stats.StatsVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /admin/issuance/stream} (CONTRACT §7): Server-Sent Events, one {@code data:} line per
 * published counts message, a heartbeat comment every 15 s. A subscriber that does not read is
 * skipped (and counted) while its write queue is full, so it never holds up others or grows memory.
 * At most {@code management.maxStreams} subscribers (503 beyond). One consumer of the cluster-wide address
 * per node encodes each message once and hands it to the subscribers' local consumers: a subscriber costs no
 * cluster registration.
 */
final class AdminStream {

  static final long HEARTBEAT_MS = 15_000;
  /** Bytes queued for one subscriber before messages to it are dropped. */
  static final int MAX_QUEUED_BYTES = 64 * 1024;
  /** A slot frees only when a subscriber leaves: a few seconds is as good a guess as any. */
  static final long FULL_RETRY_AFTER_SECONDS = 5;
  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final int maxStreams;
  private final AtomicInteger subscribers = new AtomicInteger();
  /** This node's fan-out address, unique per management router. */
  private final String localAddress = StatsVerticle.COUNTS_ADDRESS + ".local." + UUID.randomUUID();

  AdminStream(Vertx vertx, GatewayMetrics metrics, int maxStreams) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.maxStreams = maxStreams;
    vertx.eventBus().consumer(StatsVerticle.COUNTS_ADDRESS, message -> {
      if (message.body() instanceof JsonObject counts) {  // anything else is not a counts message (CONTRACT §10)
        vertx.eventBus().publish(localAddress, Buffer.buffer("data: " + counts.encode() + "\n\n"), LOCAL);
      }
    });
  }

  void handle(RoutingContext ctx) {
    if (subscribers.incrementAndGet() > maxStreams) {
      subscribers.decrementAndGet();
      ProblemResponder.respond(ctx.response(), new GatewayException(ErrorCode.TOO_MANY_STREAMS,
        "at most " + maxStreams + " subscribers (management.maxStreams)").retryAfter(FULL_RETRY_AFTER_SECONDS),
        RequestIds.of(ctx.request()));
      return;
    }
    HttpServerResponse response = ctx.response()
      .putHeader("content-type", "text/event-stream")
      .putHeader("cache-control", "no-store")
      .setChunked(true)
      .setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    response.write(": connected\n\n");
    MessageConsumer<Buffer> consumer = vertx.eventBus().localConsumer(localAddress,
      message -> send(response, message.body()));
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> send(response, HEARTBEAT));
    response.closeHandler(closed -> {
      subscribers.decrementAndGet();
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
