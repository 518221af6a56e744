package io.tokengateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.tokengateway.testing.Await;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group commit against a real {@link AccountLeases} behind a transport the test completes by hand: one round
 * trip out per account, the rest leaving together in order, each caller getting its own result or the failure.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitTest {

  private final AccountLeases entry = new AccountLeases();
  private final List<LeaseOp.Batch> sent = new ArrayList<>();
  private final List<CompletableFuture<List<Object>>> out = new ArrayList<>();
  private final GroupCommit commits = new GroupCommit(this::send);

  private CompletionStage<List<Object>> send(String account, LeaseOp.Batch batch) {
    sent.add(batch);
    CompletableFuture<List<Object>> answer = new CompletableFuture<>();
    out.add(answer);
    return answer;
  }

  /** The owner's side: applies the batch now and answers. */
  private void answer(int index) {
    out.get(index).complete(sent.get(index).apply(entry));
  }

  private static LeaseOp.TakeOp take(String id, int tenantCap) {
    return new LeaseOp.TakeOp(new Take(id, "t", "u-" + id, 0, 60_000, Take.NO_CAP, tenantCap, Map.of(),
      Take.NO_CAP, Take.NO_QUOTA, 0));
  }

  @Test
  void whatArrivesWhileARoundTripIsOutLeavesTogetherInOrder() {
    Future<Take.Verdict> first = commits.submit("acct", take("a", 2), null);
    Future<Take.Verdict> second = commits.submit("acct", take("b", 2), null);
    Future<Take.Verdict> third = commits.submit("acct", take("c", 2), null);
    Future<Boolean> confirm = commits.submit("acct", new LeaseOp.Confirm("a", 30_000), null);
    assertThat(sent).hasSize(1);
    answer(0);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).ops()).hasSize(3);
    answer(1);
    assertThat(first.result().granted()).isTrue();
    assertThat(second.result().granted()).isTrue();
    assertThat(third.result().refusal()).isEqualTo(Refusal.TENANT);  // the cap holds in a batch
    assertThat(confirm.result()).isTrue();
    assertThat(sent).hasSize(2);  // nothing left: nothing more goes out
  }

  @Test
  void accountsDoNotWaitForEachOther() {
    commits.submit("one", take("a", 5), null);
    commits.submit("two", take("b", 5), null);
    assertThat(sent).hasSize(2);
  }

  @Test
  void aFailedRoundTripFailsEveryCallerInItAndTheLineMovesOn() {
    commits.submit("acct", take("a", 5), null);
    Future<Take.Verdict> second = commits.submit("acct", take("b", 5), null);
    Future<Take.Verdict> third = commits.submit("acct", take("c", 5), null);
    answer(0);
    out.get(1).completeExceptionally(new IllegalStateException("member left"));
    assertThat(second.failed()).isTrue();
    assertThat(third.failed()).isTrue();
    Future<Take.Verdict> later = commits.submit("acct", take("d", 5), null);
    assertThat(sent).hasSize(3);
    answer(2);
    assertThat(later.result().granted()).isTrue();
  }

  @Test
  void aBatchCarriesAtMostItsBoundAndTheRestFollows() {
    commits.submit("acct", take("first", Take.NO_CAP), null);
    int queued = GroupCommit.MAX_BATCH + 10;
    for (int i = 0; i < queued; i++) {
      commits.submit("acct", take("x" + i, Take.NO_CAP), null);
    }
    answer(0);
    assertThat(sent.get(1).ops()).hasSize(GroupCommit.MAX_BATCH);
    answer(1);
    assertThat(sent.get(2).ops()).hasSize(10);
    answer(2);
    assertThat(entry.size()).isEqualTo(queued + 1);
  }

  @Test
  void eachCallerGetsItsResultOnItsOwnContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context one = vertx.getOrCreateContext();
      Context two = vertx.getOrCreateContext();
      List<CompletableFuture<Boolean>> onOwnContext = new ArrayList<>();
      CompletableFuture<Void> submitted = new CompletableFuture<>();
      commits.submit("acct", take("first", Take.NO_CAP), null);  // keeps the line busy: the rest form one batch
      one.runOnContext(v -> {
        onOwnContext.add(delivered(one, commits.submit("acct", take("a", Take.NO_CAP), one)));
        onOwnContext.add(delivered(one, commits.submit("acct", take("b", Take.NO_CAP), one)));
        two.runOnContext(w -> {
          onOwnContext.add(delivered(two, commits.submit("acct", take("c", Take.NO_CAP), two)));
          submitted.complete(null);
        });
      });
      submitted.get(10, TimeUnit.SECONDS);
      answer(0);
      assertThat(sent.get(1).ops()).hasSize(3);
      answer(1);  // from the test thread, as a Hazelcast thread would
      for (CompletableFuture<Boolean> each : onOwnContext) {
        assertThat(each.get(10, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      Await.await(vertx.close());
    }
  }

  @Test
  void aCallerOnTheContextTheAnswerArrivesOnGetsItsResultAtOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context one = vertx.getOrCreateContext();
      CompletableFuture<Boolean> completeWhenAnswered = new CompletableFuture<>();
      one.runOnContext(v -> {
        Future<Take.Verdict> verdict = commits.submit("acct", take("a", Take.NO_CAP), one);
        answer(0);  // on the caller's own context, as ClusteredLeases delivers answers
        completeWhenAnswered.complete(verdict.succeeded() && verdict.result().granted());
      });
      assertThat(completeWhenAnswered.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      Await.await(vertx.close());
    }
  }

  /** True once the result arrived, granted, on {@code expected} (and false on any other context). */
  private static CompletableFuture<Boolean> delivered(Context expected, Future<Take.Verdict> verdict) {
    CompletableFuture<Boolean> seen = new CompletableFuture<>();
    verdict.onComplete(done -> seen.complete(Vertx.currentContext() == expected && done.result().granted()));
    return seen;
  }
}
