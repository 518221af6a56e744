package io.tokengateway.bench;

import static io.tokengateway.testing.Await.await;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Measures (never asserts) how long the default breaker takes to open once Decart fails and to
 * close once it is back, at a steady request rate. Run as described in bench/README.md.
 */
public final class BreakerTiming {

  private static final long INTERVAL_MS = 20;  // 50 requests per second

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeDecart decart = await(FakeDecart.start(vertx));
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("decart").put("timeoutMs", 5000).put("deadlineMs", 8000);  // the shipped defaults
    try (TestGateway gateway = TestGateway.start(vertx, config, TestGateway.tenants(), TestGateway.env())) {
      String bearer = TestGateway.token("globex", "timing");
      decart.respond(FakeDecart.Behaviour.status(500, "{}"));
      long down = System.nanoTime();
      int requests = until(gateway, bearer, 503);
      System.out.printf("Decart down -> breaker open: %d ms, %d requests, %d upstream calls%n",
        (System.nanoTime() - down) / 1_000_000, requests, decart.calls());
      decart.respond(FakeDecart.Behaviour.ok());
      long up = System.nanoTime();
      requests = until(gateway, bearer, 200);
      System.out.printf("Decart back -> breaker closed: %d ms, %d requests%n", (System.nanoTime() - up) / 1_000_000, requests);
    }
    await(vertx.close());
  }

  private static int until(TestGateway gateway, String bearer, int status) throws InterruptedException {
    int requests = 0;
    while (true) {
      requests++;
      if (gateway.issue(bearer, "{}").statusCode() == status) {
        return requests;
      }
      Thread.sleep(INTERVAL_MS);
    }
  }
}
