package io.tokengateway.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Steady load for tests: {@code callers} loops, each sending its next token request as soon as the last
 * one is answered, while {@code keepGoing} holds. Counts answers by status (-1 = no answer).
 */
public final class RequestLoop {

  private final Map<Integer, Long> statuses = new ConcurrentHashMap<>();
  private final Future<Void> done;

  private RequestLoop(TestGateway gateway, String tenant, int callers, BooleanSupplier keepGoing) {
    List<Future<Void>> loops = IntStream.range(0, callers).mapToObj(i -> {
      Promise<Void> loop = Promise.promise();
      next(gateway, TestGateway.token(tenant, "caller" + i), keepGoing, loop);
      return loop.future();
    }).toList();
    done = Future.all(loops).mapEmpty();
  }

  public static RequestLoop start(TestGateway gateway, String tenant, int callers, BooleanSupplier keepGoing) {
    return new RequestLoop(gateway, tenant, callers, keepGoing);
  }

  /** Completes once every caller has had its last answer. */
  public Future<Void> done() {
    return done;
  }

  public Map<Integer, Long> statuses() {
    return new TreeMap<>(statuses);
  }

  public long total() {
    return statuses.values().stream().mapToLong(Long::longValue).sum();
  }

  private void next(TestGateway gateway, String bearer, BooleanSupplier keepGoing, Promise<Void> loop) {
    gateway.post("/v1/client/tokens", bearer).send().onComplete(answer -> {
      statuses.merge(answer.succeeded() ? answer.result().statusCode() : -1, 1L, Long::sum);
      if (keepGoing.getAsBoolean()) {
        next(gateway, bearer, keepGoing, loop);
      } else {
        loop.complete();
      }
    });
  }
}
