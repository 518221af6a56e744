package io.tokengateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CONTRACT §4 {@code decart.circuitBreaker}: count AND ratio within the rolling window, on a stepped clock. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailureWindowTest {

  private static final long WINDOW_MS = 10_000;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final FailureWindow window = new FailureWindow(5, 0.5, WINDOW_MS, now::get);

  @Test
  void opensAtTheThresholdWhenEveryAttemptFails() {
    for (int i = 0; i < 4; i++) {
      assertThat(window.record(true)).as("failure %d", i + 1).isFalse();
    }
    assertThat(window.record(true)).isTrue();
  }

  @Test
  void manyFailuresAmongMoreSuccessesDoNotOpen() {
    for (int i = 0; i < 100; i++) {
      window.record(false);
    }
    for (int i = 0; i < 99; i++) {
      assertThat(window.record(true)).as("failure %d of 199 attempts", i + 1).isFalse();
    }
    assertThat(window.record(true)).as("100 of 200: the ratio is reached").isTrue();
  }

  @Test
  void tenPercentFailingNeverOpensSixtyPercentDoes() {
    assertThat(opensUnder(0.10)).isFalse();
    assertThat(opensUnder(0.60)).isTrue();
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    for (int i = 0; i < 4; i++) {
      window.record(true);
    }
    now.addAndGet(WINDOW_MS + 1);
    for (int i = 0; i < 4; i++) {
      assertThat(window.record(true)).as("only the %d recent failures count", i + 1).isFalse();
    }
    assertThat(window.record(true)).isTrue();
  }

  @Test
  void successesOlderThanTheWindowNoLongerDiluteTheRatio() {
    for (int i = 0; i < 100; i++) {
      window.record(false);
    }
    now.addAndGet(WINDOW_MS + 1);
    for (int i = 0; i < 4; i++) {
      window.record(true);
    }
    assertThat(window.record(true)).isTrue();
  }

  @Test
  void clearStartsAFreshWindow() {
    for (int i = 0; i < 4; i++) {
      window.record(true);
    }
    window.clear();
    assertThat(window.record(true)).isFalse();
  }

  /** 60 s of attempts at 50 per second, failing at random with {@code share}, on the stepped clock. */
  private boolean opensUnder(double share) {
    FailureWindow fresh = new FailureWindow(5, 0.5, WINDOW_MS, now::get);
    Random random = new Random(7);
    for (int i = 0; i < 3000; i++) {
      now.addAndGet(20);
      if (fresh.record(random.nextDouble() < share)) {
        return true;
      }
    }
    return false;
  }
}
