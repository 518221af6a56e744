package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for tests: never fixed numbers. */
public final class Ports {

  /** Linux's default start of the ephemeral range, when /proc does not say. */
  private static final int DEFAULT_EPHEMERAL_START = 32768;
  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {}

  /**
   * A loopback port that was just free and has nothing listening: connecting to it is refused. Tests also bind it
   * later (Hazelcast members must know each other's ports before they start), so it is taken below the kernel's
   * ephemeral range: no outgoing connection can take it meanwhile, and a peer dialling it before it listens cannot
   * land on it by TCP self-connect (a connect from an ephemeral port equal to the one dialled). A port is handed
   * out once per test JVM: a test that picks several before binding any (a cluster's member and event-bus ports)
   * must not get one twice (ClusterTlsTest once failed with "Address already in use" that way).
   */
  public static int deadPort() {
    int below = ephemeralStart();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 100 && below > LOWEST; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, loopback)) {
        return socket.getLocalPort();
      } catch (IOException inUse) {
        // another one
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int ephemeralStart() {
    try {
      return Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
