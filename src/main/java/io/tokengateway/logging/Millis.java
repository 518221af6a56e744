package io.tokengateway.logging;

import org.apache.logging.log4j.util.StringBuilderFormattable;

/**
 * A duration in milliseconds with three decimals (whole microseconds), written as a JSON number ({@code 12.345}):
 * the access line's {@code upstreamMs} and {@code totalMs}. Digits from an integer, not a {@code double}: Java 17's
 * {@code FloatingDecimal} was ~3 % of the gateway's CPU on the log writer thread (bench/README.md "Log lines").
 */
public final class Millis extends Number implements StringBuilderFormattable {

  private static final long serialVersionUID = 1L;
  private static final long MICROS_PER_MILLI = 1_000;

  private final long micros;

  private Millis(long micros) {
    this.micros = micros;
  }

  /** {@code nanos} rounded to the nearest microsecond. */
  public static Millis ofNanos(long nanos) {
    return new Millis(Math.floorDiv(nanos + 500, 1_000));
  }

  /** Appends {@code 12.345}: the whole milliseconds, then always three digits of microseconds. */
  @Override
  public void formatTo(StringBuilder buffer) {
    long magnitude = Math.abs(micros);
    long fraction = magnitude % MICROS_PER_MILLI;
    if (micros < 0) {
      buffer.append('-');
    }
    buffer.append(magnitude / MICROS_PER_MILLI).append('.');
    if (fraction < 100) {
      buffer.append(fraction < 10 ? "00" : "0");
    }
    buffer.append(fraction);
  }

  @Override
  public String toString() {
    StringBuilder buffer = new StringBuilder(24);
    formatTo(buffer);
    return buffer.toString();
  }

  @Override
  public double doubleValue() {
    return micros / (double) MICROS_PER_MILLI;
  }

  @Override
  public float floatValue() {
    return (float) doubleValue();
  }

  /** Whole milliseconds, truncated. */
  @Override
  public long longValue() {
    return micros / MICROS_PER_MILLI;
  }

  @Override
  public int intValue() {
    return (int) longValue();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Millis && ((Millis) other).micros == micros;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(micros);
  }
}
