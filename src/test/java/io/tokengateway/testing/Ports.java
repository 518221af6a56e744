package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for tests: never fixed numbers. */
public final class Ports {

  private Ports() {}

  /** A loopback port that was just free and has nothing listening: connecting to it is refused. */
  public static int deadPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
