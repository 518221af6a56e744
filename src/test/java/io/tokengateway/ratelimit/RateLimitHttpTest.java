package io.tokengateway.ratelimit;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Metrics.sample;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONTRACT §6 429 through the public API: the tenant bucket, the per-user window, and the headers. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RateLimitHttpTest {

  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
    JsonObject tenants = TestGateway.tenants();
    tenants.getJsonObject("tenants").getJsonObject("globex")
      .put("rateLimit", new JsonObject().put("perSecond", 10).put("burst", 20).put("perUserPerMinute", 0));
    tenants.getJsonObject("tenants").getJsonObject("acme")
      .put("rateLimit", new JsonObject().put("perSecond", 0).put("perUserPerMinute", 3));
    gateway = TestGateway.start(vertx, TestGateway.config(decart.baseUrl()), tenants, TestGateway.env());
  }

  @AfterEach
  void stop() {
    gateway.close();
    await(decart.close());
  }

  /** Sends {@code count} requests at once; the bucket refills at 10/s meanwhile, so the bound allows for the time taken. */
  private List<HttpResponse<Buffer>> burst(int count, String prefix) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tokens.add(token("globex", prefix + i));
    }
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    tokens.forEach(bearer -> sent.add(gateway.post("/v1/client/tokens", bearer).send()));
    return sent.stream().map(io.tokengateway.testing.Await::await).toList();
  }

  private static long issued(List<HttpResponse<Buffer>> answers) {
    return answers.stream().filter(r -> r.statusCode() == 200).count();
  }

  @Test
  void theTenantBucketAdmitsItsBurstThenItsRate() throws Exception {
    long started = System.nanoTime();
    List<HttpResponse<Buffer>> answers = burst(100, "user-");
    long refilled = (System.nanoTime() - started) / 100_000_000L;  // tokens refilled while the burst was served
    List<HttpResponse<Buffer>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
    // Exactly the burst with a frozen clock (TokenBucketTest); here the real clock adds what refilled meanwhile.
    assertThat(issued(answers)).isBetween(20L, 20L + refilled);
    assertThat(limited).hasSize(100 - (int) issued(answers));
    assertThat(decart.calls()).isEqualTo((int) issued(answers));
    JsonObject problem = assertProblem(limited.get(0), 429, "rate_limited");
    assertThat(problem.getString("detail")).contains("tenant");
    assertThat(limited.get(0).getHeader("retry-after")).isEqualTo("1");
    assertThat(limited.get(0).getHeader("ratelimit")).startsWith("\"tenant\";r=0");
    HttpResponse<Buffer> ok = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
    assertThat(ok.getHeader("ratelimit-policy")).isEqualTo("\"tenant\";q=20;w=2");

    long emptied = System.nanoTime();  // the sleep may last longer on a busy machine: bound by the real time
    Thread.sleep(1100);
    List<HttpResponse<Buffer>> second = burst(30, "later-");
    long refilledSince = (System.nanoTime() - emptied) / 100_000_000L;
    assertThat(issued(second)).as("about 10 tokens a second").isBetween(10L, 1L + refilledSince);
    assertThat(sample(gateway.scrape(), "token_gateway_denials_total", "tenant=globex", "reason=rate_limited"))
      .isGreaterThanOrEqualTo(80);
  }

  @Test
  void eachUserGetsAtMostItsQuotaPerMinute() {
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.issue(token("acme", "alice"), null).statusCode()).isEqualTo(200);
    }
    HttpResponse<Buffer> fourth = gateway.issue(token("acme", "alice"), null);
    JsonObject problem = assertProblem(fourth, 429, "rate_limited");
    assertThat(problem.getString("detail")).contains("per-user").doesNotContain("alice");
    assertThat(Long.parseLong(fourth.getHeader("retry-after"))).isBetween(50L, 60L);
    assertThat(fourth.getHeader("ratelimit")).startsWith("\"user\";r=0");
    assertThat(gateway.issue(token("acme", "bob"), null).statusCode()).as("another user").isEqualTo(200);
    assertThat(gateway.issue(token("globex", "alice"), null).statusCode()).as("another tenant").isEqualTo(200);
    assertThat(decart.calls()).isEqualTo(5);
  }
}
