package io.tokengateway.logging;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.AsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.EventRoute;

/**
 * What Log4j2 does when the ring buffer is full (stdout cannot keep up): drop the line and count it
 * ({@code token_gateway_log_lines_dropped_total}), never wait, so an event loop never blocks on a log
 * line. Log4j2 builds it by class name ({@code log4j2.AsyncQueueFullPolicy}).
 */
public final class DroppedLines implements AsyncQueueFullPolicy {

  private static final AtomicLong DROPPED = new AtomicLong();

  @Override
  public EventRoute getRoute(long backgroundThreadId, Level level) {
    DROPPED.incrementAndGet();
    return EventRoute.DISCARD;
  }

  static long count() {
    return DROPPED.get();
  }
}
