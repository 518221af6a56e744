package io.tokengateway.testing;

import static io.tokengateway.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback port 0 that a test can cut: {@link #cut()} drops every connection and
 * refuses new ones until {@link #restore()}, as a lost network path would for a browser.
 */
public final class CuttableProxy implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private CuttableProxy(Vertx vertx, int targetPort) {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(inbound -> accept(inbound, targetPort));
  }

  public static CuttableProxy start(Vertx vertx, int targetPort) {
    CuttableProxy proxy = new CuttableProxy(vertx, targetPort);
    await(proxy.server.listen(0, "127.0.0.1"));
    return proxy;
  }

  private void accept(NetSocket inbound, int targetPort) {
    if (cut) {
      inbound.close();
      return;
    }
    inbound.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = connected.result();
      sockets.add(inbound);
      sockets.add(outbound);
      inbound.closeHandler(v -> outbound.close());
      outbound.closeHandler(v -> inbound.close());
      inbound.pipeTo(outbound);
      outbound.pipeTo(inbound);
      inbound.resume();
    });
  }

  public int port() {
    return server.actualPort();
  }

  public void cut() {
    cut = true;
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  public void restore() {
    cut = false;
  }

  @Override
  public void close() {
    cut();
    await(Future.join(server.close(), client.close()));
  }
}
