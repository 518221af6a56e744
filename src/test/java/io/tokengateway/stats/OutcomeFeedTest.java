package io.tokengateway.stats;

import static io.tokengateway.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An event loop's outcomes travel together, every flush period or at close; none is lost; other threads are served too. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class OutcomeFeedTest {

  private static final long AN_HOUR_MS = TimeUnit.HOURS.toMillis(1);

  private final LinkedBlockingQueue<Outcome.Batch> received = new LinkedBlockingQueue<>();

  @Test
  void outcomesOfManyTurnsLeaveAsOneBatchInOrderAtClose(Vertx vertx) throws Exception {
    listen(vertx);
    Context loop = vertx.getOrCreateContext();
    OutcomeFeed feed = onLoop(loop, AN_HOUR_MS);
    for (String tenant : new String[] {"a", "b", "c"}) {
      CompletableFuture<Void> sent = new CompletableFuture<>();
      loop.runOnContext(v -> {  // the feed's own loop: each send in a turn of its own
        feed.send(outcome(tenant));
        sent.complete(null);
      });
      sent.get(5, TimeUnit.SECONDS);
    }
    assertThat(received).as("nothing leaves before the flush period or close").isEmpty();
    await(feed.close());
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("a", "b", "c");
    assertThat(received.poll(100, TimeUnit.MILLISECONDS)).as("one batch, not sent twice").isNull();
    loop.runOnContext(v -> feed.send(outcome("late")));
    assertThat(next().outcomes()).as("after close, sent at once").extracting(Outcome::tenant).containsExactly("late");
  }

  @Test
  void theTimerSendsWhatWasCollected(Vertx vertx) throws Exception {
    listen(vertx);
    Context loop = vertx.getOrCreateContext();
    OutcomeFeed feed = onLoop(loop, 10);
    loop.runOnContext(v -> {
      feed.send(outcome("a"));
      feed.send(outcome("b"));
    });
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("a", "b");
    loop.runOnContext(v -> feed.send(outcome("c")));
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("c");
  }

  @Test
  void anOutcomeFromAnotherThreadIsSentAtOnce(Vertx vertx) throws Exception {
    listen(vertx);
    OutcomeFeed feed = onLoop(vertx.getOrCreateContext(), AN_HOUR_MS);
    feed.send(outcome("x"));  // from the test's thread, not the feed's loop
    feed.send(outcome("y"));
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("x");
    assertThat(next().outcomes()).extracting(Outcome::tenant).containsExactly("y");
  }

  @Test
  void outcomesLeaveTenTimesPerPublishIntervalAndAtMostATenthOfASecondLate() {
    assertThat(OutcomeFeed.flushEveryMs(1000)).isEqualTo(100);
    assertThat(OutcomeFeed.flushEveryMs(3_600_000)).isEqualTo(OutcomeFeed.MAX_FLUSH_MS);
    assertThat(OutcomeFeed.flushEveryMs(200)).isEqualTo(20);
    assertThat(OutcomeFeed.flushEveryMs(10)).isEqualTo(1);
  }

  /** A feed made on an event loop, as a verticle's start makes it. */
  private static OutcomeFeed onLoop(Context loop, long flushEveryMs) throws Exception {
    CompletableFuture<OutcomeFeed> feed = new CompletableFuture<>();
    loop.runOnContext(v -> feed.complete(new OutcomeFeed(loop.owner(), flushEveryMs)));
    return feed.get(5, TimeUnit.SECONDS);
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
