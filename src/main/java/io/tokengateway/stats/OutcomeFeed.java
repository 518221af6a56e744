package io.tokengateway.stats;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * The request path's end of the outcome events (CONTRACT §9: fire-and-forget, never waited on).
 * Collects an event loop's outcomes and sends them as one local message every flush period, so the stats verticle's
 * thread wakes ten times per publish interval, not once per event-loop turn (woken per turn, it used ~3.3 % of the
 * gateway's CPU under load, bench/README.md "Round 5"). Confined to the event-loop thread that creates it (a
 * verticle's start); an outcome reported from any other thread is sent on its own.
 */
public final class OutcomeFeed {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** The longest an outcome waits before it is sent (less when the publish interval is under a second). */
  static final long MAX_FLUSH_MS = 100;

  private final Context context;
  private final EventBus eventBus;
  private final Thread owner;
  private final long timer;
  private List<Outcome> pending = new ArrayList<>();
  private boolean closed;

  /** Sends what has been collected every {@code flushEveryMs} ({@link #flushEveryMs(int)}). */
  public OutcomeFeed(Vertx vertx, long flushEveryMs) {
    this.context = vertx.getOrCreateContext();
    this.eventBus = vertx.eventBus();
    this.owner = Context.isOnEventLoopThread() ? Thread.currentThread() : null;
    this.timer = owner == null ? -1 : vertx.setPeriodic(flushEveryMs, id -> flush());
  }

  /** For the stats verticle's {@code publishIntervalMs} (CONTRACT §4 {@code stats}): ten times as often, at least. */
  public static long flushEveryMs(int publishIntervalMs) {
    return Math.max(1, Math.min(MAX_FLUSH_MS, publishIntervalMs / 10));
  }

  public void send(Outcome outcome) {
    if (Thread.currentThread() != owner || closed) { // requests run on duplicates of the context: compare threads
      eventBus.send(Outcome.ADDRESS, new Outcome.Batch(List.of(outcome)), LOCAL);
      return;
    }
    pending.add(outcome);
  }

  /**
   * Sends what is pending and stops the timer (a verticle's stop, after its last request was reported); an outcome
   * reported later still is sent on its own.
   */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      context.owner().cancelTimer(timer);
      flush();
      done.complete();
    });
    return done.future();
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<Outcome> batch = pending;
    pending = new ArrayList<>();
    eventBus.send(Outcome.ADDRESS, new Outcome.Batch(batch), LOCAL);
  }
}
