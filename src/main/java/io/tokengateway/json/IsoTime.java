package io.tokengateway.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * ISO-8601 UTC times as text and back on the request path (the ledger's times, CONTRACT §13; Decart's
 * {@code expiresAt} for a lease's end, §12): the common shapes by hand, anything
 * else through {@link Instant}, with the same results. Measured (bench/README.md "Performance round 2"):
 * {@code Instant.parse} and {@code Instant.toString} go through {@code DateTimeFormatter} and were a fifth of
 * the ledger's cost per request.
 */
public final class IsoTime {

  /** {@link #parseUtc}'s answer for text it leaves to {@code java.time}. */
  public static final long UNREAD = Long.MIN_VALUE;
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private IsoTime() {}

  /** Exactly {@code Instant.ofEpochMilli(epochMillis).toString()}. */
  public static String format(long epochMillis) {
    long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    int ofDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    LocalDate date = LocalDate.ofEpochDay(day);
    if (date.getYear() < 1000 || date.getYear() > 9999) {
      return Instant.ofEpochMilli(epochMillis).toString();
    }
    StringBuilder text = new StringBuilder(24).append(date.getYear());
    two(text.append('-'), date.getMonthValue());
    two(text.append('-'), date.getDayOfMonth());
    two(text.append('T'), ofDay / 3_600_000);
    two(text.append(':'), ofDay / 60_000 % 60);
    two(text.append(':'), ofDay / 1000 % 60);
    int millis = ofDay % 1000;
    if (millis != 0) {
      text.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10));
    }
    return text.append('Z').toString();
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} as epoch millis (the fraction truncated, as {@code Instant.toEpochMilli}
   * does), else {@link #UNREAD}: other shapes, offsets and leap seconds are {@code java.time}'s to read.
   */
  public static long parseUtc(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || !separators(text)) {
      return UNREAD;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int millis = length == 20 ? 0 : fractionMillis(text, length - 1);
    if ((year | month | day | hour | minute | second | millis) < 0 || hour > 23 || minute > 59 || second > 59) {
      return UNREAD;
    }
    try {
      long epochDay = LocalDate.of(year, month, day).toEpochDay();
      return epochDay * MILLIS_PER_DAY + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis;
    } catch (DateTimeException noSuchDay) {
      return UNREAD;
    }
  }

  private static boolean separators(String text) {
    return text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
      && text.charAt(16) == ':';
  }

  /** {@code .} and 1-9 digits from index 19 up to {@code end}: their first three as millis; -1 if malformed. */
  private static int fractionMillis(String text, int end) {
    if (text.charAt(19) != '.' || end - 20 < 1 || end - 20 > 9 || digits(text, 20, end - 20) < 0) {
      return -1;
    }
    int millis = 0;
    for (int i = 20; i < 23; i++) {
      millis = millis * 10 + (i < end ? text.charAt(i) - '0' : 0);
    }
    return millis;
  }

  /** The decimal number in {@code count} characters from {@code from}; -1 if one is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + c - '0';
    }
    return value;
  }

  private static void two(StringBuilder text, int value) {
    text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
