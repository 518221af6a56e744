package io.tokengateway.logging;

import org.apache.logging.log4j.message.MapMessage;

/**
 * A log message with its own fields (CONTRACT §7 "Logs"): the text is the line's {@code message},
 * each field a top-level JSON field ({@code requestId}, {@code traceId}, the access log's status and
 * timings). Fields travel inside the message, never in a thread context: one event loop serves many
 * requests at once, so per-thread state would tag a line with another request's id.
 */
public final class LogLine extends MapMessage<LogLine, Object> {

  /** Log4j2's own default for a map message. */
  private static final int DEFAULT_FIELDS = 4;

  private final String text;

  private LogLine(String text, int fields) {
    super(fields);
    this.text = text;
  }

  public static LogLine of(String text) {
    return new LogLine(text, DEFAULT_FIELDS);
  }

  /** A line with about {@code fields} fields: its map is sized once instead of growing as they are added. */
  public static LogLine of(String text, int fields) {
    return new LogLine(text, fields);
  }

  /** A line that belongs to a request: its id and, when the caller sent a {@code traceparent}, the trace id. */
  public static LogLine of(String text, String requestId, String traceId) {
    return of(text, DEFAULT_FIELDS, requestId, traceId);
  }

  /** As {@link #of(String, String, String)}, with room for {@code fields} fields in all. */
  public static LogLine of(String text, int fields, String requestId, String traceId) {
    LogLine line = new LogLine(text, fields).with("requestId", requestId);
    return traceId == null ? line : line.with("traceId", traceId);
  }

  @Override
  public String getFormattedMessage() {
    return text;
  }

  @Override
  public String getFormattedMessage(String[] formats) {
    return text;
  }

  @Override
  public void formatTo(StringBuilder buffer) {
    buffer.append(text);
  }

  @Override
  public void formatTo(String[] formats, StringBuilder buffer) {
    buffer.append(text);
  }
}
