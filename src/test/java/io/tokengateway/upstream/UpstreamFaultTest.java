package io.tokengateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.ErrorCode;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The table of {@link UpstreamFault} against CONTRACT §6 ("Retries", the upstream rows) and §4 circuitBreaker. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UpstreamFaultTest {

  @Test
  void onlyConnectionErrorsTimeoutsAndTheFourRetriedStatusesAreRetried() {
    assertThat(select(true, false)).containsExactlyInAnyOrder(UpstreamFault.TIMEOUT, UpstreamFault.CONNECTION,
      UpstreamFault.SERVER_ERROR);
  }

  @Test
  void fourHundredsRedirectsAndOurOwnRefusalsNeverTripTheBreaker() {
    assertThat(select(false, true)).containsExactlyInAnyOrder(UpstreamFault.TIMEOUT, UpstreamFault.CONNECTION,
      UpstreamFault.SERVER_ERROR, UpstreamFault.OTHER_SERVER_ERROR, UpstreamFault.BAD_ANSWER);
  }

  @Test
  void eachFaultLeavesWithItsContractCode() {
    assertThat(UpstreamFault.KEY_REJECTED.code()).isEqualTo(ErrorCode.UPSTREAM_AUTH_FAILED);
    assertThat(UpstreamFault.REJECTED.code()).isEqualTo(ErrorCode.UPSTREAM_REJECTED);
    assertThat(UpstreamFault.THROTTLED.code()).isEqualTo(ErrorCode.UPSTREAM_THROTTLED);
    assertThat(UpstreamFault.TIMEOUT.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(EnumSet.of(UpstreamFault.CIRCUIT_OPEN, UpstreamFault.IN_FLIGHT_CAP))
      .allMatch(fault -> fault.code() == ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(EnumSet.of(UpstreamFault.CONNECTION, UpstreamFault.SERVER_ERROR, UpstreamFault.OTHER_SERVER_ERROR,
      UpstreamFault.BAD_ANSWER, UpstreamFault.REDIRECT, UpstreamFault.UNEXPECTED_STATUS))
      .allMatch(fault -> fault.code() == ErrorCode.UPSTREAM_ERROR);
  }

  @Test
  void everyFaultIsFoundAgainFromItsErrorAndForeignFailuresAreClassified() {
    for (UpstreamFault fault : UpstreamFault.values()) {
      assertThat(UpstreamFault.of(fault.error("x"))).isEqualTo(fault);
    }
    assertThat(UpstreamFault.of(new TimeoutException("t"))).isEqualTo(UpstreamFault.TIMEOUT);
    assertThat(UpstreamFault.of(new BoundedBody.TooLarge(1))).isEqualTo(UpstreamFault.BAD_ANSWER);
    assertThat(UpstreamFault.of(new java.io.IOException("reset"))).isEqualTo(UpstreamFault.CONNECTION);
    assertThat(UpstreamFault.asError(new TimeoutException("t")).code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
  }

  private static Set<UpstreamFault> select(boolean retried, boolean trips) {
    return EnumSet.copyOf(Arrays.stream(UpstreamFault.values())
      .filter(fault -> retried ? fault.retried() : fault.tripsBreaker()).toList());
  }
}
