package io.tokengateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lease ids come from one generator per thread, drawn {@link LeaseIds#IDS_PER_DRAW} at a time: each thread's ids
 * must still differ from every other's and from its own across draws.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaseIdTest {

  @Test
  void idsAre144RandomBitsAndNeverRepeatAcrossThreads() {
    List<CompletableFuture<List<String>>> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(CompletableFuture.supplyAsync(() -> {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          ids.add(LeaseIds.next());
        }
        return ids;
      }, runnable -> new Thread(runnable).start()));
    }
    Set<String> all = new HashSet<>();
    for (CompletableFuture<List<String>> thread : threads) {
      for (String id : thread.join()) {
        assertThat(id).matches("[A-Za-z0-9_-]{24}");
        all.add(id);
      }
    }
    assertThat(all).hasSize(20_000);
  }

  @Test
  void idsFromOneDrawAndTheNextDifferAndAreWellFormed() {
    Set<String> ids = new HashSet<>();
    int count = LeaseIds.IDS_PER_DRAW * 3 + 5;  // across several draws, ending inside one
    for (int i = 0; i < count; i++) {
      String id = LeaseIds.next();
      assertThat(id).matches("[A-Za-z0-9_-]{24}");
      ids.add(id);
    }
    assertThat(ids).hasSize(count);
  }
}
