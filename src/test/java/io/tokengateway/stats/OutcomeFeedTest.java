package io.tokengateway.stats;

import static io.tokengateway.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Outcomes of one event-loop turn travel as one message; none is lost, and other threads are served too. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class OutcomeFeedTest {

  private final LinkedBlockingQueue<Outcome.Batch> received = new LinkedBlockingQueue<>();

  @Test
  void theOutcomesOfOneTurnArriveAsOneBatchInOrder(Vertx vertx) throws Exception {
    listen(vertx);
    CompletableFuture<OutcomeFeed> feed = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      OutcomeFeed onLoop = new OutcomeFeed(vertx);
      onLoop.send(outcome("a"));
      onLoop.send(outcome("b"));
      onLoop.send(outcome("c"));
      feed.complete(onLoop);
    });
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("a", "b", "c");
    OutcomeFeed onLoop = feed.get(5, TimeUnit.SECONDS);
    vertx.runOnContext(v -> onLoop.send(outcome("d")));
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("d");
  }

  @Test
  void anOutcomeFromAnotherThreadIsSentAtOnce(Vertx vertx) throws Exception {
    listen(vertx);
    OutcomeFeed offLoop = new OutcomeFeed(vertx);
    offLoop.send(outcome("x"));
    offLoop.send(outcome("y"));
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("x");
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("y");
  }

  private void listen(Vertx vertx) {
    OutcomeCodec.register(vertx.eventBus());
    MessageConsumer<Outcome.Batch> consumer = vertx.eventBus().localConsumer(Outcome.ADDRESS, m -> received.add(m.body()));
    await(consumer.completion());
  }

  private Outcome.Batch next() throws InterruptedException {
    Outcome.Batch batch = received.poll(5, TimeUnit.SECONDS);
    assertThat(batch).as("a batch within 5 s").isNotNull();
    return batch;
  }

  private static Outcome outcome(String tenant) {
    return new Outcome(tenant, Outcome.Kind.ISSUED, null, 200, 0, 1);
  }
}
