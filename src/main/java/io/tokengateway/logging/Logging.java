package io.tokengateway.logging;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Log4J2LoggerFactory;
import io.tokengateway.config.GatewayConfig;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * CONTRACT §7 "Logs": every record (ours, Vert.x's, Netty's, Hazelcast's, and anything on
 * java.util.logging) goes through Log4j2 async loggers to one line on stdout, JSON
 * ({@code logging/line.json}) or text, at the level of {@code logging.level}. Event loops only fill a
 * ring-buffer slot; one background thread formats and writes, so a slow stdout never blocks a
 * request. A full buffer drops the line and counts it ({@link DroppedLines}).
 */
public final class Logging {

  /**
   * How many lines may wait for stdout (~0.5 s at 17k req/s); beyond, lines are dropped and counted. Measured
   * (bench/README.md "Logging"): a 65,536-slot ring raised the gateway's p99, an 8,192-slot one did not.
   */
  static final int RING_BUFFER_LINES = 8_192;
  /**
   * An idle writer thread sleeps this long between looks at the buffer: no wake-up call per line
   * (a blocking hand-off cost ~4 % of the CPU at 17k req/s in the profile: a futex call per request).
   */
  static final long WRITER_SLEEP_NANOS = 2_000_000;
  /**
   * Rounds the writer thread spins and yields before that sleep: none. Log4j2's 200 (100 spins, 100
   * {@code Thread.yield}) kept it awake between two requests' lines on 2 cores, writing batches of one line: 2-3
   * points more of the gateway's CPU than sleeping at once (bench/README.md "Log lines").
   */
  static final int WRITER_RETRIES = 0;
  /** System properties read by {@code logging/log4j2.xml}. */
  static final String LEVEL_PROPERTY = "tokengateway.log.level";
  static final String LIBRARY_LEVEL_PROPERTY = "tokengateway.log.libraryLevel";
  static final String FORMAT_PROPERTY = "tokengateway.log.format";

  private Logging() {}

  /**
   * Routes every logging API into Log4j2; must run before anything logs (first thing in main): the JUL
   * manager is fixed when java.util.logging first loads. The level and format come from the env until
   * the config file is read ({@link #apply}).
   */
  public static void start(boolean dev, Map<String, String> env) {
    System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    System.setProperty("log4j2.contextSelector", "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector");
    System.setProperty("log4j2.configurationFile", "classpath:logging/log4j2.xml");
    System.setProperty("log4j2.AsyncQueueFullPolicy", DroppedLines.class.getName());
    // Tuning an operator may override with -D (Log4j2's own property names).
    defaultProperty("AsyncLogger.RingBufferSize", Integer.toString(RING_BUFFER_LINES));
    defaultProperty("AsyncLogger.WaitStrategy", "Sleep");
    defaultProperty("AsyncLogger.SleepTimeNs", Long.toString(WRITER_SLEEP_NANOS));
    defaultProperty("AsyncLogger.Retries", Integer.toString(WRITER_RETRIES));
    // No line renders a thread context (fields travel in the message, see LogLine), yet every record looked its
    // map up in a ThreadLocal: ~1 % of the CPU per request in the profile (bench/README.md "Performance round 2").
    defaultProperty("log4j2.disableThreadContext", "true");
    // Each library asked for Log4j2 by name, not left to its own discovery.
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.Log4j2LogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "log4j2");
    // Netty's documented switch (its "internal" package has held it unchanged since Netty 4.0).
    InternalLoggerFactory.setDefaultFactory(Log4J2LoggerFactory.INSTANCE);
    setProperties(env.getOrDefault("GATEWAY_LOGGING_LEVEL", GatewayConfig.Logging.DEFAULT_LEVEL),
      env.get("GATEWAY_LOGGING_FORMAT"), dev);
  }

  /** Once the config is read: its level and format, if they differ from what {@link #start} assumed. */
  public static void apply(GatewayConfig.Logging config, boolean dev) {
    String before = System.getProperty(LEVEL_PROPERTY) + System.getProperty(FORMAT_PROPERTY);
    setProperties(config.level(), config.format(), dev);
    if (!before.equals(System.getProperty(LEVEL_PROPERTY) + System.getProperty(FORMAT_PROPERTY))) {
      ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }
  }

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  private static void setProperties(String level, String format, boolean dev) {
    String upper = level.toUpperCase(Locale.ROOT);
    System.setProperty(LEVEL_PROPERTY, upper);
    // Netty and Hazelcast say little above DEBUG that an operator needs: WARN unless ERROR is asked for.
    System.setProperty(LIBRARY_LEVEL_PROPERTY, upper.equals("ERROR") ? "ERROR" : "WARN");
    System.setProperty(FORMAT_PROPERTY, format != null ? format.toLowerCase(Locale.ROOT) : dev ? "text" : "json");
  }

  /** Lines lost because stdout could not keep up. */
  public static long dropped() {
    return DroppedLines.count();
  }
}
