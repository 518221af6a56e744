package io.tokengateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The GCRA bucket on its own: burst, refill, the numbers behind the headers, refunds and resizing. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TokenBucketTest {

  static final long SECOND = 1_000_000_000L;
  static final long MS = 1_000_000L;

  @Test
  void burstThenOneTokenPerInterval() {
    TokenBucket bucket = TokenBucket.full(10, 20);
    assertThat(taken(bucket, 100, 0)).isEqualTo(20);
    assertThat(bucket.waitNanos(0)).isEqualTo(100 * MS);
    assertThat(taken(bucket, 100, SECOND)).isEqualTo(10);
    assertThat(taken(bucket, 100, SECOND + 99 * MS)).isZero();
    assertThat(taken(bucket, 100, SECOND + 100 * MS)).isOne();
  }

  @Test
  void neverHoldsMoreThanBurst() {
    TokenBucket bucket = TokenBucket.full(10, 20);
    assertThat(taken(bucket, 100, 3_600 * SECOND)).isEqualTo(20);
  }

  @Test
  void debtGivesRemainingAndNextToken() {
    TokenBucket bucket = TokenBucket.full(10, 20);
    long debt = bucket.tryTake(0);
    assertThat(bucket.remaining(debt)).isEqualTo(19);
    assertThat(bucket.nanosToNextToken(debt)).isEqualTo(100 * MS);
    long later = bucket.tryTake(30 * MS);  // 1.7 tokens used: 18 whole left, the next back in 70 ms
    assertThat(bucket.remaining(later)).isEqualTo(18);
    assertThat(bucket.nanosToNextToken(later)).isEqualTo(70 * MS);
    assertThat(bucket.nanosToNextToken(0)).isZero();
  }

  @Test
  void refundGivesTheTokenBack() {
    TokenBucket bucket = TokenBucket.full(1, 2);
    bucket.tryTake(0);
    bucket.tryTake(0);
    assertThat(bucket.tryTake(0)).isEqualTo(TokenBucket.REFUSED);
    bucket.refund();
    assertThat(bucket.tryTake(0)).isPositive();
    assertThat(bucket.tryTake(0)).isEqualTo(TokenBucket.REFUSED);
  }

  @Test
  void resizeKeepsTheLevelAndRetiresTheOldBucket() {
    TokenBucket bucket = TokenBucket.full(10, 20);
    taken(bucket, 15, 0);
    TokenBucket bigger = bucket.resize(3, 50, 0);
    assertThat(bucket.isRetired()).isTrue();
    assertThat(bucket.tryTake(0)).isEqualTo(TokenBucket.RETIRED);
    assertThat(taken(bigger, 100, 0)).isEqualTo(5);
    assertThat(taken(bigger, 100, SECOND)).isEqualTo(3);
  }

  @Test
  void resizeClampsToTheNewBurst() {
    TokenBucket bucket = TokenBucket.full(10, 20);
    taken(bucket, 5, 0);
    assertThat(taken(bucket.resize(10, 3, 0), 100, 0)).isEqualTo(3);
  }

  private static long taken(TokenBucket bucket, int attempts, long now) {
    return LongStream.range(0, attempts).filter(i -> bucket.tryTake(now) > 0).count();
  }
}
