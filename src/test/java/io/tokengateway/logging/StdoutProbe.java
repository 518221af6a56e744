package io.tokengateway.logging;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Run by {@code StdoutAppenderIT} in a JVM of its own (the jar plus test classes), logging set up as Main does:
 * {@code burst} logs {@link #BURST} request lines (many times the appender's buffer) and exits; {@code idle} and
 * {@code idle-sync} (a synchronous logger context instead of the async one) log one line and wait to be stopped,
 * so the test sees whether that line reached stdout without the flush of an exit.
 */
public final class StdoutProbe {

  static final int BURST = 5_000;
  /** Escapes, non-ASCII and a lone surrogate: what the burst's lines carry beside their index. */
  static final String ODD = "\"quoted\" \\ tab\t é 日本 😀 \uD800 end";

  private StdoutProbe() {}

  public static void main(String[] args) throws InterruptedException {
    Logging.start(false, Map.of());
    if (args[0].equals("idle-sync")) {
      System.setProperty("log4j2.contextSelector", "org.apache.logging.log4j.core.selector.ClassLoaderContextSelector");
    }
    Logger log = LogManager.getLogger("probe");
    if (args[0].equals("burst")) {
      for (int i = 0; i < BURST; i++) {
        log.info(LogLine.of("request", 4, "burst-" + i, null).with("index", i).with("odd", ODD)
          .with("totalMs", Millis.ofNanos(i * 1_001L)));
      }
      LogManager.shutdown();
      return;
    }
    log.info(LogLine.of("one line, then idle", "idle-1", null)
      .with("context", LogManager.getContext(false).getClass().getSimpleName()));
    new CountDownLatch(1).await(60, TimeUnit.SECONDS);  // until the test stops this process
  }
}
