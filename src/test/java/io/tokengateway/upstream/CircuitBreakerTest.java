package io.tokengateway.upstream;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.DecartConfig;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.FakeDecart.Behaviour;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.RequestLoop;
import io.tokengateway.testing.TestGateway;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §4 {@code decart.circuitBreaker} (issue 18): a partial failure that retries absorb never opens
 * the circuit; a Decart that mostly fails does; the window forgets. Shipped breaker settings throughout.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class CircuitBreakerTest {

  private static final int CALLERS = 16;
  private static final long LOAD_MS = 10_000;

  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    await(decart.close());
  }

  private void startGateway() {
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("decart").put("retry", new JsonObject().put("backoffInitialMs", 10).put("backoffMaxMs", 40));
    gateway = TestGateway.start(vertx, config, TestGateway.unlimitedTenants(), TestGateway.env());
  }

  @Test
  void tenPercentFailingUnderSustainedConcurrentLoadNeverOpens() {
    startGateway();
    decart.respond(Behaviour.delay(2, Behaviour.randomFailures(0.10, 18)));
    long end = System.currentTimeMillis() + LOAD_MS;
    RequestLoop load = RequestLoop.start(gateway, "globex", CALLERS, () -> System.currentTimeMillis() < end);
    List<Double> states = new ArrayList<>();
    while (!load.done().isComplete()) {
      states.add(Metrics.sample(gateway.scrape(), "token_gateway_circuit_state"));
    }
    states.add(Metrics.sample(gateway.scrape(), "token_gateway_circuit_state"));
    long total = load.total();
    System.out.println("10% failing, " + CALLERS + " callers for " + LOAD_MS + " ms: " + load.statuses()
      + ", upstream calls " + decart.calls() + ", circuit samples " + states.size());
    assertThat(states).as("token_gateway_circuit_state while loaded").isNotEmpty().containsOnly(0.0);
    assertThat(total).isGreaterThan(CALLERS);
    assertThat(load.statuses().getOrDefault(200, 0L)).as("200s of %d", total).isGreaterThanOrEqualTo((long) (total * 0.99));
  }

  @Test
  void sixtyPercentFailingOpens() {
    startGateway();
    decart.respond(Behaviour.randomFailures(0.60, 60));
    int requests = 0;
    int status = 0;
    while (status != 503 && requests < 200) {
      requests++;
      status = gateway.issue(token("globex", "u" + requests), "{}").statusCode();
    }
    assertThat(status).as("after %d requests", requests).isEqualTo(503);
    assertThat(Metrics.sample(gateway.scrape(), "token_gateway_circuit_state")).isEqualTo(2.0);
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    AtomicLong now = new AtomicLong(5_000_000);
    DecartConfig config = ConfigLoader.parse(TestGateway.config("http://127.0.0.1:1"), TestGateway.env()).decart();
    Resilience resilience = new Resilience(vertx, config, now::get);
    for (int i = 0; i < config.circuitBreaker().failureThreshold() - 1; i++) {
      fail(resilience);
    }
    now.addAndGet(config.circuitBreaker().rollingWindowMs() + 1);
    for (int i = 0; i < config.circuitBreaker().failureThreshold() - 1; i++) {
      fail(resilience);
    }
    assertThat(resilience.circuitState()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(resilience);
    assertThat(resilience.circuitState()).isEqualTo(CircuitBreakerState.OPEN);
  }

  private static void fail(Resilience resilience) {
    Future<MintedToken> attempt = resilience.guard(
      () -> Future.failedFuture(UpstreamFault.SERVER_ERROR.error("Decart answered with status 503")));
    assertThat(io.tokengateway.testing.Await.failure(attempt)).isNotNull();
  }
}
