package io.tokengateway.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hand-made time text agrees with {@link Instant} wherever it answers, and leaves the rest to it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IsoTimeTest {

  private final SplittableRandom random = new SplittableRandom(17);

  @Test
  void formatIsInstantToString() {
    List<Long> edges = List.of(0L, 1L, 999L, 1000L, -1L, -86_400_000L, 951_782_400_000L /* 2000-02-29 */,
      253_402_300_799_999L /* 9999-12-31T23:59:59.999 */, 253_402_300_800_000L, -62_135_596_800_000L /* year 1 */);
    for (long millis : edges) {
      assertThat(IsoTime.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }
    for (int i = 0; i < 100_000; i++) {
      long millis = random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L);
      long whole = millis - Math.floorMod(millis, 1000);
      assertThat(IsoTime.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
      assertThat(IsoTime.format(whole)).isEqualTo(Instant.ofEpochMilli(whole).toString());
    }
  }

  @Test
  void parseUtcReadsWhatInstantReadsToTheMillisecond() {
    for (String text : List.of("2026-11-27T12:10:00Z", "2026-11-27T12:10:00.5Z", "2026-11-27T12:10:00.123Z",
        "2026-11-27T12:10:00.123456789Z", "2024-02-29T23:59:59.999999Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z")) {
      assertThat(IsoTime.parseUtc(text)).as(text).isEqualTo(Instant.parse(text).toEpochMilli());
    }
    for (int i = 0; i < 100_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_800L), random.nextInt(1_000_000_000));
      String text = instant.toString();
      assertThat(IsoTime.parseUtc(text)).as(text).isEqualTo(instant.toEpochMilli());
    }
  }

  @Test
  void parseUtcLeavesOtherShapesToJavaTime() {
    for (String text : List.of("2026-11-27T12:10:00+01:00", "2026-11-27T12:10:00.Z", "2026-11-27T12:10:00.1234567890Z",
        "2026-02-30T12:10:00Z", "2026-13-01T12:10:00Z", "2026-11-27T24:00:00Z", "2026-11-27T23:59:60Z",
        "2026-11-27 12:10:00Z", "2026-11-27T12:10:00z", "-026-11-27T12:10:00Z", "2026-11-27T12:1a:00Z",
        "+2026-11-27T12:10:00Z", "2026-11-27T12:10Z", "", "not a time at all, really")) {
      assertThat(IsoTime.parseUtc(text)).as(text).isEqualTo(IsoTime.UNREAD);
    }
  }
}
