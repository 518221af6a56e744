package io.tokengateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

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
    CompletionStage<Take.Verdict> first = commits.submit("acct", take("a", 2));
    CompletionStage<Take.Verdict> second = commits.submit("acct", take("b", 2));
    CompletionStage<Take.Verdict> third = commits.submit("acct", take("c", 2));
    CompletionStage<Boolean> confirm = commits.submit("acct", new LeaseOp.Confirm("a", 30_000));
    assertThat(sent).hasSize(1);
    answer(0);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).ops()).hasSize(3);
    answer(1);
    assertThat(first.toCompletableFuture().join().granted()).isTrue();
    assertThat(second.toCompletableFuture().join().granted()).isTrue();
    assertThat(third.toCompletableFuture().join().refusal()).isEqualTo(Refusal.TENANT);  // the cap holds in a batch
    assertThat(confirm.toCompletableFuture().join()).isTrue();
    assertThat(sent).hasSize(2);  // nothing left: nothing more goes out
  }

  @Test
  void accountsDoNotWaitForEachOther() {
    commits.submit("one", take("a", 5));
    commits.submit("two", take("b", 5));
    assertThat(sent).hasSize(2);
  }

  @Test
  void aFailedRoundTripFailsEveryCallerInItAndTheLineMovesOn() {
    commits.submit("acct", take("a", 5));
    CompletionStage<Take.Verdict> second = commits.submit("acct", take("b", 5));
    CompletionStage<Take.Verdict> third = commits.submit("acct", take("c", 5));
    answer(0);
    out.get(1).completeExceptionally(new IllegalStateException("member left"));
    assertThat(second.toCompletableFuture()).isCompletedExceptionally();
    assertThat(third.toCompletableFuture()).isCompletedExceptionally();
    CompletionStage<Take.Verdict> later = commits.submit("acct", take("d", 5));
    assertThat(sent).hasSize(3);
    answer(2);
    assertThat(later.toCompletableFuture().join().granted()).isTrue();
  }

  @Test
  void aBatchCarriesAtMostItsBoundAndTheRestFollows() {
    commits.submit("acct", take("first", Take.NO_CAP));
    int queued = GroupCommit.MAX_BATCH + 10;
    for (int i = 0; i < queued; i++) {
      commits.submit("acct", take("x" + i, Take.NO_CAP));
    }
    answer(0);
    assertThat(sent.get(1).ops()).hasSize(GroupCommit.MAX_BATCH);
    answer(1);
    assertThat(sent.get(2).ops()).hasSize(10);
    answer(2);
    assertThat(entry.size()).isEqualTo(queued + 1);
  }
}
