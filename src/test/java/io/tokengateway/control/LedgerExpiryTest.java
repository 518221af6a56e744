package io.tokengateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ledger reads Decart's {@code expiresAt} as {@link Instant} would, and falls back to the asked lifetime. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LedgerExpiryTest {

  @Test
  void ledgerExpiryIsInstantsWhereverInstantReadsIt() {
    for (String text : List.of("2026-11-27T12:10:00Z", "2026-11-27T12:10:00.123+02:00", "2026-11-27T23:59:60Z")) {
      long expected;
      try {
        expected = Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException e) {
        expected = java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
      }
      assertThat(Ledger.expiresAt(text, 0, 60)).as(text).isEqualTo(expected);
    }
    assertThat(Ledger.expiresAt("soon", 1_000, 60)).isEqualTo(61_000);
  }
}
