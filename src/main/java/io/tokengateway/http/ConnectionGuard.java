package io.tokengateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Slow heads and too many connections (CONTRACT §4 {@code server.headerReadTimeoutMs}, {@code maxConnections}):
 * one per server (event loop), all sharing the process-wide count. Beyond the cap a new connection is closed at
 * once; a connection whose request head is not complete in time is closed, whatever it trickles meanwhile.
 * <p>
 * Vert.x's public API shows when a head is complete (the request handler) but not when its first byte arrives,
 * so the first head counts from the connection's start. On an HTTP/1.1 keep-alive connection the next head is
 * bounded by Vert.x's idle timeout, which sees whole HTTP messages, not bytes, so a trickled head does not reset it
 * (measured in ConnectionGuardTest); as a backstop the guard closes the connection when the next head is not
 * complete within {@code idleTimeoutSeconds} + {@code headerReadTimeoutMs} of the previous answer (never sooner:
 * closing idle keep-alive connections early breaks load balancers' connection reuse). On HTTP/2 only the first
 * request is bounded: later streams are frames on a live connection. One periodic sweep per event loop checks the
 * deadlines, not a timer per connection.
 */
final class ConnectionGuard {

  private static final Logger LOG = LogManager.getLogger(ConnectionGuard.class);
  private static final long MIN_SWEEP_MS = 50;
  private static final long MAX_SWEEP_MS = 1000;

  /** A watched connection: the answer in progress (null while waiting for a head) and the head's deadline. */
  private static final class Watch {
    HttpServerResponse answering;
    long headDeadlineNanos;
  }

  private final Vertx vertx;
  private final AtomicInteger open;
  private final int maxConnections;
  private final long firstHeadNanos;
  private final long nextHeadNanos;
  /** Concurrent: a server created outside a verticle (the management port) is not bound to one event loop by API. */
  private final Map<HttpConnection, Watch> watched = new ConcurrentHashMap<>();
  private final AtomicLong sweepTimer = new AtomicLong(-1);

  /** {@code open} is shared by every server of the process: the cap is per process. */
  ConnectionGuard(Vertx vertx, AtomicInteger open, int maxConnections, int headerReadTimeoutMs, int idleTimeoutSeconds) {
    this.vertx = vertx;
    this.open = open;
    this.maxConnections = maxConnections;
    this.firstHeadNanos = headerReadTimeoutMs * 1_000_000L;
    this.nextHeadNanos = firstHeadNanos + idleTimeoutSeconds * 1_000_000_000L;
  }

  /** Stops the sweep; connections still open are left to the server's own shutdown. */
  void stop() {
    vertx.cancelTimer(sweepTimer.getAndSet(Long.MAX_VALUE));
  }

  /** A new connection: over the cap it is closed at once; else its first head is due within the timeout. */
  void opened(HttpConnection connection) {
    if (sweepTimer.get() == -1) {
      // Started from the first connection's handler: the sweep runs on the event loop that serves connections.
      long sweepMs = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, firstHeadNanos / 1_000_000 / 10));
      long timer = vertx.setPeriodic(sweepMs, id -> sweep(System.nanoTime()));
      if (!sweepTimer.compareAndSet(-1, timer)) {
        vertx.cancelTimer(timer);
      }
    }
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      LOG.debug("connection refused: {} open public connections (server.maxConnections)", maxConnections);
      connection.close();
      return;
    }
    Watch watch = new Watch();
    watch.headDeadlineNanos = System.nanoTime() + firstHeadNanos;
    watched.put(connection, watch);
    connection.closeHandler(v -> {
      open.decrementAndGet();
      watched.remove(connection);
    });
  }

  /** A complete head: no deadline while it is being answered (HTTP/2: none any more). */
  void headArrived(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.version() == HttpVersion.HTTP_2) {
      watched.remove(connection);
      return;
    }
    Watch watch = watched.get(connection);
    if (watch != null) {
      watch.answering = request.response();
    }
  }

  private void sweep(long now) {
    List<HttpConnection> late = new ArrayList<>();
    watched.forEach((connection, watch) -> {
      if (watch.answering != null) {
        if (watch.answering.ended() || watch.answering.closed()) {
          watch.answering = null;
          watch.headDeadlineNanos = now + nextHeadNanos;
        }
      } else if (now - watch.headDeadlineNanos >= 0) {
        late.add(connection);
      }
    });
    for (HttpConnection connection : late) {
      watched.remove(connection);
      connection.close();
    }
  }
}
