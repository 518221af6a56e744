package io.tokengateway.sessions;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Group commit of {@link LeaseOp}s per account on this node (CONTRACT §12 "Cluster"): at most one round trip per
 * account is out at a time; the operations that arrive meanwhile wait here and leave together, in arrival order,
 * as one {@link LeaseOp.Batch} — still one atomic step on the partition owner, so every take is checked against
 * every lease granted before it, exactly as if sent alone. An operation that finds nothing out leaves at once (no
 * added latency when idle); under load one round trip and one backup carry many admissions. Hazelcast has no
 * batching of entry processors on one key; measured (bench/README.md "Quiet-machine figures after round 2"): a
 * loaded cluster node went from 0.12x to 0.67-0.87x of a single node's throughput with admission on (0.81-0.86x
 * once answers stopped costing a thread each, "Round 7").
 *
 * <p>A batch's answer comes back on the thread {@code send}'s stage completes on (in a cluster, one event loop:
 * {@link ClusteredLeases}), and the next batch leaves from there; its callers get their results on their own
 * Vert.x contexts, at once on that thread's own context and with one hand-off per other context and batch, not
 * one per operation (each hand-off can cost the event loop a wake-up).
 *
 * <p>Thread-safe: called from every event loop; the lock guards a list swap, never I/O.
 */
final class GroupCommit {

  /** A batch never carries more; the rest leave with the next round trip. */
  static final int MAX_BATCH = 256;

  private final BiFunction<String, LeaseOp.Batch, CompletionStage<List<Object>>> send;
  private final Map<String, Queue> queues = new HashMap<>();

  /** {@code send}: one batch to the account's entry, its results in the batch's order. */
  GroupCommit(BiFunction<String, LeaseOp.Batch, CompletionStage<List<Object>>> send) {
    this.send = send;
  }

  /**
   * {@code context}: where the result is delivered; null completes it on the thread the answer comes back on
   * (for a caller that only logs a failure).
   */
  <R> Future<R> submit(String account, LeaseOp<R> op, Context context) {
    Promise<R> result = Promise.promise();
    List<Pending> leaving;
    synchronized (this) {
      Queue queue = queues.computeIfAbsent(account, name -> new Queue());
      queue.waiting.add(new Pending(op, result, context));
      if (queue.out) {
        return result.future();
      }
      queue.out = true;
      leaving = queue.take();
    }
    dispatch(account, leaving);
    return result.future();
  }

  private void dispatch(String account, List<Pending> leaving) {
    List<LeaseOp<?>> ops = new ArrayList<>(leaving.size());
    for (Pending pending : leaving) {
      ops.add(pending.op);
    }
    CompletionStage<List<Object>> sent;
    try {
      sent = send.apply(account, new LeaseOp.Batch(ops));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((results, failure) -> {
      handBack(leaving, results, failure);
      List<Pending> next;
      synchronized (this) {
        Queue queue = queues.get(account);
        if (queue.waiting.isEmpty()) {
          queues.remove(account);
          return;
        }
        next = queue.take();
      }
      dispatch(account, next);
    });
  }

  /**
   * Each caller's result: at once for those without a context or on the current one, then one hand-off per
   * context for the rest.
   */
  private static void handBack(List<Pending> leaving, List<Object> results, Throwable failure) {
    Context here = Vertx.currentContext();
    List<Context> contexts = new ArrayList<>(2);  // the event loops that asked: a handful at most
    for (int i = 0; i < leaving.size(); i++) {
      Pending pending = leaving.get(i);
      if (pending.context == null || pending.context == here) {
        pending.complete(results, i, failure);
      } else if (!contexts.contains(pending.context)) {
        contexts.add(pending.context);
      }
    }
    for (Context context : contexts) {
      context.runOnContext(v -> {
        for (int i = 0; i < leaving.size(); i++) {
          Pending pending = leaving.get(i);
          if (pending.context == context) {
            pending.complete(results, i, failure);
          }
        }
      });
    }
  }

  private static final class Queue {
    List<Pending> waiting = new ArrayList<>();
    boolean out;

    List<Pending> take() {
      if (waiting.size() <= MAX_BATCH) {
        List<Pending> all = waiting;
        waiting = new ArrayList<>();
        return all;
      }
      List<Pending> first = new ArrayList<>(waiting.subList(0, MAX_BATCH));
      waiting = new ArrayList<>(waiting.subList(MAX_BATCH, waiting.size()));
      return first;
    }
  }

  private record Pending(LeaseOp<?> op, Promise<?> result, Context context) {
    /** Its own answer, {@code results.get(i)}, or the batch's failure. */
    @SuppressWarnings("unchecked")
    void complete(List<Object> results, int i, Throwable failure) {
      if (failure != null) {
        result.fail(failure);
      } else {
        ((Promise<Object>) result).complete(results.get(i));
      }
    }
  }
}
