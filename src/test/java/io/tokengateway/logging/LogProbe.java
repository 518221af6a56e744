package io.tokengateway.logging;

import java.util.Map;

/**
 * Run by {@code LogsIT} in a JVM of its own (the jar plus test classes): starts logging as Main does,
 * then logs one WARN and one ERROR record through every logging API a dependency uses, so the test
 * can read what each becomes on stdout.
 */
public final class LogProbe {

  private LogProbe() {}

  public static void main(String[] args) {
    Logging.start(false, Map.of());
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("probe.jul");
    jul.warning("jul warning");
    jul.severe("jul severe");
    io.vertx.core.internal.logging.Logger vertx = io.vertx.core.internal.logging.LoggerFactory.getLogger("io.vertx.probe");
    vertx.warn("vertx warning");
    vertx.error("vertx error", new IllegalStateException("vertx failure"));
    io.netty.util.internal.logging.InternalLogger netty =
      io.netty.util.internal.logging.InternalLoggerFactory.getInstance("io.netty.probe");
    netty.warn("netty warning");
    netty.error("netty error");
    com.hazelcast.logging.ILogger hazelcast = com.hazelcast.logging.Logger.getLogger("com.hazelcast.probe");
    hazelcast.warning("hazelcast warning");
    hazelcast.severe("hazelcast severe");
    System.Logger system = System.getLogger("probe.system");
    system.log(System.Logger.Level.WARNING, "system warning");
    system.log(System.Logger.Level.ERROR, "system error");
    org.apache.logging.log4j.LogManager.shutdown();
  }
}
