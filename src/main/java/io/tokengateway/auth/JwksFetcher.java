package io.tokengateway.auth;

import io.tokengateway.json.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Fetches the JWKS document from {@code jwt.jwksUri}: one GET, no redirects, bounded in time and size.
 * The body is read as it streams in and the request is reset as soon as it passes {@link #MAX_JWKS_BYTES}
 * (like the Decart relay), so a huge or endless answer never grows memory; anything but a 200 with a
 * strict-JSON {@code {"keys":[…]}} of at most {@link #MAX_JWKS_KEYS} keys is a failure with a safe message.
 */
final class JwksFetcher {

  static final int CONNECT_TIMEOUT_MS = 2_000;
  /** Whole request, head and body; a JWKS endpoint slower than this counts as unreachable. */
  static final long REQUEST_TIMEOUT_MS = 5_000;
  /** A real key set is a few KiB (Google's, Microsoft's, Okta's: under 10 KiB). */
  static final int MAX_JWKS_BYTES = 256 * 1024;
  /** Identity providers publish a handful of keys; each costs a JWT-library key, so the set is bounded. */
  static final int MAX_JWKS_KEYS = 100;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String uri;

  JwksFetcher(Vertx vertx, String uri) {
    this.vertx = vertx;
    this.uri = uri;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
  }

  Future<JsonArray> fetch() {
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri).setFollowRedirects(false)
        .setIdleTimeout(REQUEST_TIMEOUT_MS).putHeader("accept", "application/json").putHeader("user-agent", "token-gateway");
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalStateException("unusable URI (" + e.getClass().getSimpleName() + ")"));
    }
    Promise<Buffer> body = Promise.promise();
    long deadline = vertx.setTimer(REQUEST_TIMEOUT_MS, id -> body.tryFail(
      new IllegalStateException("unreachable (no complete answer within " + REQUEST_TIMEOUT_MS + " ms)")));
    client.request(options).onFailure(e -> body.tryFail(unreachable(e))).onSuccess(request -> {
      body.future().onFailure(e -> request.reset());
      request.send().onFailure(e -> body.tryFail(unreachable(e))).onSuccess(response -> read(response, body));
    });
    return body.future().andThen(ar -> vertx.cancelTimer(deadline)).map(JwksFetcher::keys);
  }

  /** Collects at most {@link #MAX_JWKS_BYTES}, refusing at once when the announced length is larger. */
  private static void read(HttpClientResponse response, Promise<Buffer> body) {
    if (response.statusCode() != 200) {
      body.tryFail(new IllegalStateException("answered HTTP " + response.statusCode()));
      return;
    }
    String length = response.getHeader("content-length");
    if (length != null && (!length.matches("\\d{1,9}") || Integer.parseInt(length) > MAX_JWKS_BYTES)) {
      body.tryFail(tooLarge());
      return;
    }
    Buffer collected = Buffer.buffer();
    response.handler(chunk -> {
      if (collected.length() + chunk.length() > MAX_JWKS_BYTES) {
        body.tryFail(tooLarge());
      } else {
        collected.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(e -> body.tryFail(unreachable(e)));
    response.endHandler(v -> body.tryComplete(collected));
  }

  private static JsonArray keys(Buffer body) {
    try {
      JsonObject document = StrictJson.parseObject(body.getBytes());
      if (!(document.getValue("keys") instanceof JsonArray keys)) {
        throw new IllegalStateException("no \"keys\" array");
      }
      if (keys.size() > MAX_JWKS_KEYS) {
        throw new IllegalStateException("more than " + MAX_JWKS_KEYS + " keys");
      }
      return keys;
    } catch (StrictJson.MalformedException e) {
      throw new IllegalStateException("not a JSON object: " + e.getMessage());
    }
  }

  private static IllegalStateException tooLarge() {
    return new IllegalStateException("answer larger than " + MAX_JWKS_BYTES + " bytes");
  }

  private static IllegalStateException unreachable(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    return new IllegalStateException("unreachable (" + e.getClass().getSimpleName() + message + ")");
  }

  void close() {
    client.close();
  }
}
