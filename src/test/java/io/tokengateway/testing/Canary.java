package io.tokengateway.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that must never be reached: it counts every request it gets (and answers a valid-looking
 * token, so a client that wrongly reaches it would look successful). Redirect tests point at it.
 */
public final class Canary {

  private final AtomicInteger calls = new AtomicInteger();
  private HttpServer server;

  private Canary() {}

  public static Future<Canary> start(Vertx vertx) {
    Canary canary = new Canary();
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(canary::handle).listen()
      .map(server -> { canary.server = server; return canary; });
  }

  public int calls() {
    return calls.get();
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    calls.incrementAndGet();
    request.response().putHeader("content-type", "application/json")
      .end(FakeDecart.tokenBody("ek_canary_reached"));
  }
}
