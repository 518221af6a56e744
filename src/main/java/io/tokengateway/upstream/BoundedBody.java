package io.tokengateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A WebClient body codec that collects at most {@code maxBytes} (CONTRACT §5: 64 KiB) and fails
 * beyond, so an oversized or endless answer never grows memory.
 */
final class BoundedBody implements BodyCodec<Buffer> {

  /** The answer was larger than the bound; treated as a bad answer from Decart. */
  static final class TooLarge extends RuntimeException {
    TooLarge(int maxBytes) {
      super("upstream body larger than " + maxBytes + " bytes", null, false, false);
    }
  }

  private final int maxBytes;

  BoundedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Collector();
  }

  /**
   * Keeps the first chunk as it came (Decart's answer is one chunk of a few hundred bytes: nothing to copy; Vert.x
   * hands each chunk over as a heap copy of its own) and copies only when a second one arrives.
   */
  private final class Collector implements BodyStream<Buffer> {
    private Buffer buffer;
    private boolean copied;
    private final Promise<Buffer> result = Promise.promise();

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable cause) {
      result.tryFail(cause);
    }

    @Override
    public Future<Void> write(Buffer data) {
      int length = buffer == null ? 0 : buffer.length();
      if (length + data.length() > maxBytes) {
        TooLarge failure = new TooLarge(maxBytes);
        result.tryFail(failure);
        return Future.failedFuture(failure);
      }
      if (length == 0) {
        buffer = data;
      } else {
        if (!copied) {
          buffer = Buffer.buffer(buffer.length() + data.length()).appendBuffer(buffer);
          copied = true;
        }
        buffer.appendBuffer(data);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(buffer == null ? Buffer.buffer() : buffer);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
