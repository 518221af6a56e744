package io.tokengateway.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Waits on the JUnit thread (never an event loop) for a Vert.x future, or for a condition to come true. */
public final class Await {

  public static final long DEFAULT_SECONDS = 20;

  private Await() {}

  public static <T> T await(Future<T> future) {
    return await(future, Duration.ofSeconds(DEFAULT_SECONDS));
  }

  /** For a future that completes only after a wait of its own (e.g. a gateway-side timeout): bound it above that. */
  public static <T> T await(Future<T> future, Duration within) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(DEFAULT_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("expected the future to fail");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Awaitility with this suite's bounds: polls every 50 ms and fails after {@link #DEFAULT_SECONDS} with the last
   * assertion error, e.g. {@code eventually().until(() -> decart.calls() == 3)}.
   */
  public static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(DEFAULT_SECONDS)).pollInterval(Duration.ofMillis(50));
  }
}
