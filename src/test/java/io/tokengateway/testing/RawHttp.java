package io.tokengateway.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/** Hand-written HTTP over a plain socket, for what an HTTP client library would refuse to send. */
public final class RawHttp {

  private RawHttp() {}

  /** Sends {@code parts} one after another, {@code gapMs} apart; completes with everything read until the server closes or {@code maxWaitMs}. */
  public static Future<String> exchange(Vertx vertx, int port, long gapMs, long maxWaitMs, String... parts) {
    NetClient client = vertx.createNetClient();
    Promise<String> result = Promise.promise();
    Buffer received = Buffer.buffer();
    client.connect(port, "127.0.0.1").onFailure(result::tryFail).onSuccess(socket -> {
      socket.handler(received::appendBuffer);
      socket.closeHandler(v -> result.tryComplete(received.toString()));
      vertx.setTimer(maxWaitMs, id -> {
        result.tryComplete(received.toString());
        socket.close();
      });
      send(vertx, socket, parts, 0, gapMs);
    });
    return result.future().eventually(client::close);
  }

  private static void send(Vertx vertx, NetSocket socket, String[] parts, int index, long gapMs) {
    if (index >= parts.length) {
      return;
    }
    socket.write(parts[index]);
    vertx.setTimer(Math.max(1, gapMs), id -> send(vertx, socket, parts, index + 1, gapMs));
  }
}
