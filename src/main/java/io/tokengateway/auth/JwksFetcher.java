package io.tokengateway.auth;

import io.tokengateway.json.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Fetches the JWKS document from {@code jwt.jwksUri}: one GET, no redirects, bounded in time;
 * anything but a 200 with a strict-JSON {@code {"keys":[…]}} body is a failure with a safe message.
 */
final class JwksFetcher {

  static final int CONNECT_TIMEOUT_MS = 2_000;
  /** Whole request, head and body; a JWKS endpoint slower than this counts as unreachable. */
  static final long REQUEST_TIMEOUT_MS = 5_000;
  /** A real key set is a few KiB; the endpoint is operator-configured, so this is a sanity bound. */
  static final int MAX_JWKS_BYTES = 1024 * 1024;

  private final WebClient client;
  private final String uri;

  JwksFetcher(Vertx vertx, String uri) {
    this.uri = uri;
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
      .setConnectTimeout(CONNECT_TIMEOUT_MS).setUserAgent("token-gateway"));
  }

  Future<JsonArray> fetch() {
    try {
      return client.getAbs(uri).timeout(REQUEST_TIMEOUT_MS).putHeader("accept", "application/json").send()
        .recover(e -> Future.failedFuture(new IllegalStateException("unreachable (" + describe(e) + ")")))
        .map(JwksFetcher::keys);
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalStateException("unusable URI (" + e.getClass().getSimpleName() + ")"));
    }
  }

  private static JsonArray keys(HttpResponse<?> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("answered HTTP " + response.statusCode());
    }
    if (response.bodyAsBuffer() == null || response.bodyAsBuffer().length() > MAX_JWKS_BYTES) {
      throw new IllegalStateException("empty or oversized body");
    }
    try {
      JsonObject document = StrictJson.parseObject(response.bodyAsBuffer().getBytes());
      if (document.getValue("keys") instanceof JsonArray keys) {
        return keys;
      }
      throw new IllegalStateException("no \"keys\" array");
    } catch (StrictJson.MalformedException e) {
      throw new IllegalStateException("not a JSON object: " + e.getMessage());
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + message;
  }

  void close() {
    client.close();
  }
}
