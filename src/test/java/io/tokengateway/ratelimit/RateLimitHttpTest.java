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

  @Test
  void theTenantBucketAdmitsItsBurstThenItsRate() throws Exception {
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(gateway.post("/v1/client/tokens", token("globex", "user-" + i)).send());
    }
    List<HttpResponse<Buffer>> answers = burst.stream().map(io.tokengateway.testing.Await::await).toList();
    List<HttpResponse<Buffer>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(20);
    assertThat(limited).hasSize(80);
    assertThat(decart.calls()).isEqualTo(20);
    JsonObject problem = assertProblem(limited.get(0), 429, "rate_limited");
    assertThat(problem.getString("detail")).contains("tenant");
    assertThat(limited.get(0).getHeader("retry-after")).isEqualTo("1");
    assertThat(limited.get(0).getHeader("ratelimit")).startsWith("\"tenant\";r=0");
    HttpResponse<Buffer> ok = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
    assertThat(ok.getHeader("ratelimit-policy")).isEqualTo("\"tenant\";q=20;w=2");

    Thread.sleep(1100);
    int admitted = 0;
    for (int i = 0; i < 20; i++) {
      admitted += gateway.issue(token("globex", "later-" + i), null).statusCode() == 200 ? 1 : 0;
    }
    assertThat(admitted).as("about 10 tokens a second").isBetween(10, 13);
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
