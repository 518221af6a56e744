package io.tokengateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The access line's durations: milliseconds with three decimals, rounded to the nearest microsecond. */
@Timeout(10)
class MillisTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0.000",
    "499, 0.000",
    "500, 0.001",
    "1499, 0.001",
    "9000, 0.009",
    "10000, 0.010",
    "99999, 0.100",
    "999499, 0.999",
    "999500, 1.000",
    "1000000, 1.000",
    "12345678, 12.346",
    "164706715, 164.707",
    "60000000000, 60000.000",
    "9223372036854775000, 9223372036854.775",
    "-1500, -0.001",
    "-1500000, -1.500",
  })
  void writesWholeMillisecondsAndThreeDigitsOfMicroseconds(long nanos, String text) {
    StringBuilder buffer = new StringBuilder("x=");
    Millis.ofNanos(nanos).formatTo(buffer);
    assertThat(buffer).hasToString("x=" + text);
    assertThat(Millis.ofNanos(nanos)).hasToString(text);
  }

  @Test
  void itsNumberValuesAgreeWithItsText() {
    Millis millis = Millis.ofNanos(12_345_678);
    assertThat(millis.doubleValue()).isEqualTo(12.346);
    assertThat(new BigDecimal(millis.toString())).isEqualByComparingTo(BigDecimal.valueOf(millis.doubleValue()));
    assertThat(millis.longValue()).isEqualTo(12);
    assertThat(millis.intValue()).isEqualTo(12);
    assertThat(millis).isEqualTo(Millis.ofNanos(12_345_900)).isNotEqualTo(Millis.ofNanos(12_346_500));
  }
}
