package io.tokengateway.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real JWKS endpoint on 127.0.0.1, port 0, serving whatever key set the test sets. {@link #down}
 * makes it close every connection at once (before any answer): the client sees a transport
 * failure immediately, with no race against an asynchronous unbind/rebind of the port.
 */
public final class JwksServer {

  public static final String PATH = "/.well-known/jwks.json";

  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile String body;
  private volatile boolean down;
  private volatile boolean chunked;

  private JwksServer(HttpServer server, JsonObject jwks) {
    this.server = server;
    this.body = jwks.encode();
  }

  public static Future<JwksServer> start(Vertx vertx, JsonObject jwks) {
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    JwksServer jwksServer = new JwksServer(http, jwks);
    http.connectionHandler(connection -> {
      if (jwksServer.down) {
        connection.close();
      }
    });
    http.requestHandler(jwksServer::serve);
    return http.listen().map(jwksServer);
  }

  private void serve(HttpServerRequest request) {
    if (down) {
      request.connection().close();
      return;
    }
    fetches.incrementAndGet();
    request.response().putHeader("content-type", "application/json");
    if (!chunked) {
      request.response().end(body);
      return;
    }
    // No Content-Length: the client learns the size only by reading, 16 KiB at a time.
    request.response().setChunked(true);
    String text = body;
    for (int start = 0; start < text.length(); start += 16 * 1024) {
      request.response().write(text.substring(start, Math.min(text.length(), start + 16 * 1024)));
    }
    request.response().end();
  }

  /** Send the body chunked, without a Content-Length. */
  public void chunked(boolean chunked) {
    this.chunked = chunked;
  }

  /** Serve this key set from now on. */
  public void keys(JsonObject jwks) {
    body = jwks.encode();
  }

  /** Serve exactly this text (e.g. not JSON at all). */
  public void rawBody(String text) {
    body = text;
  }

  /** Down: every connection is closed on arrival; takes effect before this method returns. */
  public void down(boolean down) {
    this.down = down;
  }

  /** Requests answered (while up). */
  public int fetches() {
    return fetches.get();
  }

  public String uri() {
    return "http://127.0.0.1:" + server.actualPort() + PATH;
  }

  public Future<Void> close() {
    return server.close();
  }
}
