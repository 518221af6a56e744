package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body without blocking and within bounds (CONTRACT §4 {@code server}):
 * over {@code maxBodyBytes} is 413 (before reading when Content-Length says so), a body not
 * complete by the read deadline is 408. The request must have been paused on arrival; a client that sent
 * {@code Expect: 100-continue} is invited to send the body here, once it will be read, never before a refusal.
 */
final class BodyReader {

  private final Vertx vertx;
  private final int maxBytes;

  BodyReader(Vertx vertx, int maxBytes) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
  }

  /** {@code deadlineMillis} is on the {@link System#currentTimeMillis()} clock. */
  Future<Buffer> read(HttpServerRequest request, long deadlineMillis) {
    long declared = declaredLength(request);
    if (declared > maxBytes) {
      return Future.failedFuture(tooLarge());
    }
    if (request.isEnded()) {
      return Future.succeededFuture(Buffer.buffer());
    }
    if (expectsContinue(request)) {
      // Invited only now: after authentication, admission and the length check (CONTRACT §6).
      request.response().writeContinue();
    }
    Promise<Buffer> body = Promise.promise();
    // Sized by Content-Length when given (a token request's body is tens of bytes), grown otherwise.
    Buffer received = Buffer.buffer((int) (declared >= 0 ? declared : Math.min(maxBytes, 256)));
    long timer = vertx.setTimer(Math.max(1, deadlineMillis - System.currentTimeMillis()),
      id -> body.tryFail(new GatewayException(ErrorCode.REQUEST_TIMEOUT, "the request body did not arrive in time")));
    request.handler(chunk -> {
      if (received.length() + chunk.length() > maxBytes) {
        body.tryFail(tooLarge());
      } else {
        received.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> body.tryComplete(received));
    request.exceptionHandler(body::tryFail);
    request.resume();
    return body.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private GatewayException tooLarge() {
    return new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
  }

  private static boolean expectsContinue(HttpServerRequest request) {
    String expect = request.getHeader("expect");
    return expect != null && expect.trim().equalsIgnoreCase("100-continue");
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
