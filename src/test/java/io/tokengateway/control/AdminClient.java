package io.tokengateway.control;

import static io.tokengateway.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** Requests to a gateway's management port, as an operator's curl would send them. */
final class AdminClient implements AutoCloseable {

  static final String TOKENS_ENV = "TEST_ADMIN_TOKENS";
  static final String FIRST = "admin-token-one-0123456789abcdefghijklmnop";
  static final String SECOND = "admin-token-two-0123456789abcdefghijklmnop";

  private final WebClient client;
  private final int port;

  AdminClient(Vertx vertx, int port) {
    this.client = WebClient.create(vertx);
    this.port = port;
  }

  /** {@code bearer} null = no Authorization header; {@code body} null = no body. */
  HttpResponse<Buffer> send(HttpMethod method, String path, String bearer, String body) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
    if (bearer != null) {
      request.putHeader("authorization", "Bearer " + bearer);
    }
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  JsonObject block(String path, String body) {
    HttpResponse<Buffer> response = send(HttpMethod.PUT, path, FIRST, body);
    if (response.statusCode() != 200) {
      throw new AssertionError("block " + path + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  int lift(String path) {
    return send(HttpMethod.DELETE, path, FIRST, null).statusCode();
  }

  JsonObject get(String path) {
    HttpResponse<Buffer> response = send(HttpMethod.GET, path, FIRST, null);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  @Override
  public void close() {
    client.close();
  }
}
