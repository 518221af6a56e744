package io.tokengateway;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * All logs (ours, Vert.x's, Netty's: all java.util.logging here) as one line per record on stdout,
 * JSON by default or plain text. Event loops only format and enqueue; one writer thread
 * ({@link LogWriter}) does the I/O, so a slow stdout never blocks a request. When the queue is full,
 * lines are dropped and counted.
 */
public final class Logging {

  public enum Format { JSON, TEXT }

  /** Env var choosing the format: {@code json} (default) or {@code text} (the default with --dev). */
  public static final String FORMAT_ENV = "TOKEN_GATEWAY_LOG_FORMAT";
  private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
  /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
  private static final java.util.List<Logger> QUIETED = new java.util.ArrayList<>();

  private Logging() {}

  public static Format format(String configured, boolean dev) {
    if (configured != null) {
      return "text".equalsIgnoreCase(configured.trim()) ? Format.TEXT : Format.JSON;
    }
    return dev ? Format.TEXT : Format.JSON;
  }

  public static void configure(Format format) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    // Our own buffer on stdout: System.out flushes every line (a write per line), this one when the queue runs dry.
    PrintStream stdout = new PrintStream(new java.io.BufferedOutputStream(
      new java.io.FileOutputStream(java.io.FileDescriptor.out), 64 * 1024), false, java.nio.charset.StandardCharsets.UTF_8);
    root.addHandler(new LogWriter(format, stdout));
    quiet("io.netty", Level.WARNING);
    quiet("com.hazelcast", Level.WARNING);
    quiet("com.hazelcast.cp", Level.SEVERE);  // "CP Subsystem is not enabled": we use none of it
    // vertx-micrometer-metrics registers its event-bus gauge twice at startup; Micrometer warns once, harmlessly.
    quiet("io.micrometer.core.instrument.MeterRegistry", Level.SEVERE);
  }

  private static void quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    QUIETED.add(logger);
  }

  /** Lines lost because stdout could not keep up. */
  public static long dropped() {
    return LogWriter.DROPPED.get();
  }

  /** Renders one record; a record whose single parameter is a JsonObject is a structured line (the access log). */
  static String render(LogRecord record, Format format) {
    Object[] params = record.getParameters();
    JsonObject fields = params != null && params.length == 1 && params[0] instanceof JsonObject json ? json : null;
    String message = fields != null ? record.getMessage() : formatMessage(record);
    if (format == Format.JSON) {
      return json(record, message, fields);
    }
    StringBuilder text = new StringBuilder(160).append(Instant.ofEpochMilli(record.getMillis())).append(' ')
      .append(record.getLevel().getName()).append(' ').append(shortName(record.getLoggerName())).append(' ')
      .append(message);
    if (fields != null) {
      fields.forEach(field -> text.append(' ').append(field.getKey()).append('=').append(field.getValue()));
    }
    if (record.getThrown() != null) {
      text.append(System.lineSeparator()).append(trace(record.getThrown()));
    }
    return text.toString();
  }

  /** One JSON object per line, written by hand: this runs once per request (the access log). */
  private static String json(LogRecord record, String message, JsonObject fields) {
    StringBuilder line = new StringBuilder(512).append("{\"time\":\"")
      .append(Instant.ofEpochMilli(record.getMillis())).append("\",\"level\":\"").append(record.getLevel().getName())
      .append("\",\"logger\":");
    quote(line, shortName(record.getLoggerName())).append(",\"message\":");
    quote(line, message);
    if (fields != null) {
      for (Map.Entry<String, Object> field : fields) {
        quote(line.append(','), field.getKey()).append(':');
        Object value = field.getValue();
        if (value == null || value instanceof Number || value instanceof Boolean) {
          line.append(value);
        } else {
          quote(line, value.toString());
        }
      }
    }
    if (record.getThrown() != null) {
      quote(line.append(",\"error\":"), trace(record.getThrown()));
    }
    return line.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder line, String value) {
    line.append('"');
    JSON_STRINGS.quoteAsString(value, line); // escapes straight into the line: no char[] per field
    return line.append('"');
  }

  private static String formatMessage(LogRecord record) {
    String message = record.getMessage();
    Object[] params = record.getParameters();
    if (message == null || params == null || params.length == 0) {
      return String.valueOf(message);
    }
    try {
      return java.text.MessageFormat.format(message, params);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }

  private static String trace(Throwable thrown) {
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace)); // allowed: rendered into the log line, not onto stderr
    return trace.toString();
  }

  private static String shortName(String logger) {
    if (logger == null) {
      return "-";
    }
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }
}
