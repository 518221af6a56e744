package io.tokengateway.http;

import io.tokengateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The management port's listener (CONTRACT §7): the public port's head limits ({@code maxHeaderBytes},
 * {@code headerReadTimeoutMs}) and an idle timeout, so an open port inside the cluster is no easier to tie up
 * than the public one. Its connections are not counted against {@code server.maxConnections}.
 */
public final class ManagementServer {

  /** An SSE subscriber hears a heartbeat every 15 s: the idle timeout must outlast two of them. */
  static final int MIN_IDLE_TIMEOUT_SECONDS = (int) (2 * AdminStream.HEARTBEAT_MS / 1000);

  private final HttpServer server;
  private final ConnectionGuard guard;

  private ManagementServer(HttpServer server, ConnectionGuard guard) {
    this.server = server;
    this.guard = guard;
  }

  public static ManagementServer create(Vertx vertx, GatewayConfig.Server limits, Router router) {
    int idleSeconds = Math.max(MIN_IDLE_TIMEOUT_SECONDS, limits.idleTimeoutSeconds());
    ConnectionGuard guard = new ConnectionGuard(vertx, new AtomicInteger(), Integer.MAX_VALUE,
      limits.headerReadTimeoutMs(), idleSeconds);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxInitialLineLength(Math.min(limits.maxHeaderBytes(), HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH))
        .setIdleTimeout(idleSeconds)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false))
      .connectionHandler(guard::opened)
      .requestHandler(request -> {
        guard.headArrived(request);
        router.handle(request);
      });
    return new ManagementServer(server, guard);
  }

  public Future<HttpServer> listen(int port, String host) {
    return server.listen(port, host);
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    guard.stop();
    return server.close();
  }
}
