package io.tokengateway;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/** One line per log record on stdout, for the gateway, Vert.x and Netty alike (all use java.util.logging here). */
public final class Logging {

  private Logging() {}

  public static void configure() {
    LogManager.getLogManager().reset();
    Handler handler = new StreamHandler(System.out, new LineFormatter()) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }
    };
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    root.addHandler(handler);
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }

  /** {@code time level logger message}, and the stack trace of a thrown cause on the following lines. */
  static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line = new StringBuilder(160)
        .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
        .append(record.getLevel().getName()).append(' ')
        .append(shortName(record.getLoggerName())).append(' ')
        .append(formatMessage(record)).append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace)); // allowed: renders into the log line, not stderr
        line.append(trace);
      }
      return line.toString();
    }

    private static String shortName(String logger) {
      if (logger == null) {
        return "-";
      }
      int dot = logger.lastIndexOf('.');
      return dot < 0 ? logger : logger.substring(dot + 1);
    }
  }
}
