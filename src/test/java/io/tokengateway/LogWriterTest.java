package io.tokengateway;

import static io.tokengateway.testing.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The writer loses no line, whether lines arrive in a burst from many threads or one at a time while it sleeps. */
@Timeout(20)
class LogWriterTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final LogWriter writer = new LogWriter(Logging.Format.TEXT, new PrintStream(bytes, false, StandardCharsets.UTF_8));

  @Test
  void aBurstFromFourThreadsIsWrittenWholeAndInOrderPerThread() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String name = "t" + t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 5_000; i++) {
          writer.publish(record(name + "-" + i));
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    writer.flush();
    List<String> lines = lines();
    assertThat(lines).hasSize(20_000);
    List<String> fromT1 = lines.stream().filter(line -> line.contains(" t1-")).map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
    assertThat(fromT1).hasSize(5_000).startsWith("t1-0", "t1-1", "t1-2").endsWith("t1-4998", "t1-4999");
    assertThat(fromT1).isSortedAccordingTo(java.util.Comparator.comparingInt(line -> Integer.parseInt(line.substring(3))));
  }

  @Test
  void aLineAfterTheWriterFellAsleepWakesIt() {
    writer.publish(record("first"));
    writer.flush();
    // Past the linger the writer parks (on itself) until a line wakes it.
    eventually().until(() -> Thread.getAllStackTraces().keySet().stream().anyMatch(t -> LockSupport.getBlocker(t) == writer));
    writer.publish(record("after a pause"));
    writer.flush();
    assertThat(lines()).hasSize(2).last().asString().endsWith(" after a pause");
  }

  private List<String> lines() {
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static LogRecord record(String message) {
    LogRecord record = new LogRecord(Level.INFO, message);
    record.setLoggerName("test");
    return record;
  }
}
