package io.tokengateway.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Ends what a response cannot leave open, in the protocol's own terms (CONTRACT §6): HTTP/1.x closes the
 * connection ({@code Connection: close}); HTTP/2 must never carry that header (Netty resets the stream with
 * PROTOCOL_ERROR), so it resets only the stream, or sends GOAWAY, and the other streams go on.
 */
final class Hangup {

  /** RFC 9113 §8.1: a complete response may be followed by RST_STREAM(NO_ERROR) to stop an unread upload. */
  private static final long NO_ERROR = 0;

  private Hangup() {}

  /** The request's body was not (fully) read: its rest must not be taken for a next request, nor be waited for. */
  static void afterUnreadBody(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (request.version() == HttpVersion.HTTP_2) {
      response.endHandler(v -> {
        if (!request.isEnded()) {  // the client may have finished its upload meanwhile
          response.reset(NO_ERROR);
        }
      });
    } else {
      response.putHeader("connection", "close");
      response.endHandler(v -> request.connection().close());
    }
  }

  /** Draining for shutdown: callers should move to another pod. HTTP/2 gets GOAWAY; this stream still completes. */
  static void forDrain(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      request.connection().shutdown();
    } else {
      request.response().putHeader("connection", "close");
    }
  }
}
