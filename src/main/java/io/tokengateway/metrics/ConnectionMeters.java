package io.tokengateway.metrics;

import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.TCPMetrics;

/**
 * The connection half of an HTTP server's or client's metrics (connections, bytes, errors): vertx-micrometer's
 * own, unchanged. Its meters are per connection, not per request, so they were never the cost.
 */
abstract class ConnectionMeters<M extends TCPMetrics<Object>> implements TCPMetrics<Object> {

  final M micrometer;

  ConnectionMeters(M micrometer) {
    this.micrometer = micrometer;
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    return micrometer.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(Object socket, SocketAddress remoteAddress) {
    micrometer.disconnected(socket, remoteAddress);
  }

  @Override
  public void bytesRead(Object socket, SocketAddress remoteAddress, long bytes) {
    micrometer.bytesRead(socket, remoteAddress, bytes);
  }

  @Override
  public void bytesWritten(Object socket, SocketAddress remoteAddress, long bytes) {
    micrometer.bytesWritten(socket, remoteAddress, bytes);
  }

  @Override
  public void exceptionOccurred(Object socket, SocketAddress remoteAddress, Throwable failure) {
    micrometer.exceptionOccurred(socket, remoteAddress, failure);
  }

  @Override
  public void close() {
    micrometer.close();
  }
}
