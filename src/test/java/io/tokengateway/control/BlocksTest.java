package io.tokengateway.control;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Metrics.sample;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.MutableClock;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONTRACT §13 blocks on one node: 403 blocked before the rate limit, no upstream call, the answer's exposure. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class BlocksTest {

  private final MutableClock clock = new MutableClock();
  private FakeDecart decart;
  private TestGateway gateway;
  private AdminClient admin;

  @BeforeEach
  void start(Vertx vertx) {
    decart = await(FakeDecart.start(vertx));
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("management").put("adminTokenEnv", AdminClient.TOKENS_ENV);
    Map<String, String> env = TestGateway.env();
    env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST + "," + AdminClient.SECOND);
    JsonObject tenants = TestGateway.tenants().put("defaults", new JsonObject()
      .put("rateLimit", new JsonObject().put("perSecond", 0).put("perUserPerMinute", 2)));
    gateway = TestGateway.start(vertx, config, tenants, env, clock);
    admin = new AdminClient(vertx, gateway.managementPort());
  }

  @AfterEach
  void stop() {
    admin.close();
    gateway.close();
    await(decart.close());
  }

  private int issue(String tenant, String user) {
    return gateway.issue(token(tenant, user), null).statusCode();
  }

  @Test
  void aBlockedUserIsRefusedBeforeTheRateLimitAndWithoutCallingDecart() {
    JsonObject answer = admin.block("/admin/blocks/globex/users/mallory", "{\"reason\":\"abuse report #12\"}");
    assertThat(answer.getString("tenant")).isEqualTo("globex");
    assertThat(answer.getString("user")).isEqualTo("mallory");
    assertThat(answer.getString("reason")).isEqualTo("abuse report #12");
    assertThat(Instant.parse(answer.getString("until"))).as("24 h by default")
      .isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    assertThat(answer.getJsonObject("exposure")).isEqualTo(new JsonObject().put("liveTokens", 0)
      .put("lastExpiresAt", null).put("sessionsEndBy", null));

    for (int i = 0; i < 3; i++) {  // perUserPerMinute 2: were the limit checked first, the third would be 429
      assertProblem(gateway.issue(token("globex", "mallory"), "{\"expiresIn\":30}"), 403, "blocked");
    }
    assertThat(decart.calls()).isZero();
    assertThat(issue("globex", "alice")).as("other users of the tenant").isEqualTo(200);
    assertThat(issue("acme", "mallory")).as("the same user id in another tenant").isEqualTo(200);
    String scrape = gateway.scrape();
    assertThat(sample(scrape, "token_gateway_denials_total", "tenant=globex", "reason=blocked")).isEqualTo(3);
    assertThat(sample(scrape, "token_gateway_requests_total", "tenant=globex", "outcome=denied")).isEqualTo(3);

    assertThat(admin.lift("/admin/blocks/globex/users/mallory")).isEqualTo(204);
    assertThat(issue("globex", "mallory")).isEqualTo(200);
    assertThat(admin.get("/admin/blocks").getJsonArray("blocks")).isEmpty();
  }

  @Test
  void aTenantBlockRefusesEveryUserAndEndsAtUntil() {
    Instant until = clock.instant().plus(Duration.ofHours(2));
    admin.block("/admin/blocks/globex", "{\"reason\":\"unpaid\",\"until\":\"" + until + "\"}");
    assertProblem(gateway.issue(token("globex", "alice"), null), 403, "blocked");
    assertProblem(gateway.issue(token("globex", "bob"), null), 403, "blocked");
    assertThat(issue("acme", "alice")).isEqualTo(200);
    JsonObject listed = admin.get("/admin/blocks").getJsonArray("blocks").getJsonObject(0);
    assertThat(listed.getString("tenant")).isEqualTo("globex");
    assertThat(listed.getString("user")).isNull();
    assertThat(listed.getString("until")).isEqualTo(until.toString());

    clock.advance(Duration.ofHours(2).minusSeconds(1));
    assertProblem(gateway.issue(token("globex", "alice"), null), 403, "blocked");
    clock.advance(Duration.ofSeconds(1));
    assertThat(issue("globex", "alice")).as("the block ended at until").isEqualTo(200);
    assertThat(admin.get("/admin/blocks").getJsonArray("blocks")).isEmpty();
  }

  @Test
  void theExposureCountsTheTokensStillUsable() {
    Instant now = clock.instant();
    decart.script(ok("ek_a1", now.plusSeconds(100)), ok("ek_a2", now.plusSeconds(300)), ok("ek_b1", now.plusSeconds(200)),
      ok("ek_g1", now.plusSeconds(400)));
    assertThat(issue("acme", "u1")).isEqualTo(200);
    clock.advance(Duration.ofMinutes(2));  // the first token is no longer usable
    assertThat(issue("acme", "u1")).isEqualTo(200);
    assertThat(issue("acme", "u2")).isEqualTo(200);
    assertThat(issue("globex", "u1")).isEqualTo(200);

    JsonObject user = admin.block("/admin/blocks/acme/users/u1", "{\"reason\":\"r\"}").getJsonObject("exposure");
    assertThat(user.getLong("liveTokens")).isEqualTo(1);
    assertThat(user.getString("lastExpiresAt")).isEqualTo(now.plusSeconds(300).toString());
    assertThat(user.getString("sessionsEndBy")).as("acme caps sessions at 600 s")
      .isEqualTo(now.plusSeconds(300 + 600).toString());

    JsonObject tenant = admin.block("/admin/blocks/acme", "{\"reason\":\"r\"}").getJsonObject("exposure");
    assertThat(tenant.getLong("liveTokens")).isEqualTo(2);
    assertThat(tenant.getString("lastExpiresAt")).isEqualTo(now.plusSeconds(300).toString());

    JsonObject globex = admin.block("/admin/blocks/globex", "{\"reason\":\"r\"}").getJsonObject("exposure");
    assertThat(globex.getString("sessionsEndBy")).as("no session cap: expiresAt + 1 h")
      .isEqualTo(now.plusSeconds(400 + 3600).toString());
  }

  @Test
  void badBlockRequestsAreRefusedAndTakeNothing() {
    String path = "/admin/blocks/globex/users/u1";
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, "{\"reason\":\"a\",\"reason\":\"b\"}"), 400,
      "malformed_json");
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, "{\"reason\":"), 400, "malformed_json");
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, null), 422, "validation_failed");
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, "{\"reason\":\" \"}"), 422, "validation_failed");
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, "{\"reason\":\"r\",\"by\":\"me\"}"), 422,
      "validation_failed");
    String past = clock.instant().minusSeconds(1).toString();
    JsonObject problem = assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST,
      "{\"reason\":\"r\",\"until\":\"" + past + "\"}"), 422, "validation_failed");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("until");
    String tooFar = clock.instant().plus(Duration.ofDays(30)).plusSeconds(1).toString();
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, "{\"reason\":\"r\",\"until\":\"" + tooFar + "\"}"),
      422, "validation_failed");
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, "{\"reason\":\"r\",\"until\":\"tomorrow\"}"),
      422, "validation_failed");
    assertProblem(admin.send(HttpMethod.PUT, "/admin/blocks/_bad", AdminClient.FIRST, "{\"reason\":\"r\"}"), 422,
      "validation_failed");
    assertProblem(admin.send(HttpMethod.PUT, path, AdminClient.FIRST, "{\"reason\":\"" + "x".repeat(20_000) + "\"}"),
      413, "payload_too_large");
    assertThat(admin.get("/admin/blocks").getJsonArray("blocks")).isEmpty();
    assertThat(issue("globex", "u1")).isEqualTo(200);

    String thirtyDays = clock.instant().plus(Duration.ofDays(30)).toString();
    assertThat(admin.block(path, "{\"reason\":\"r\",\"until\":\"" + thirtyDays + "\"}").getString("until"))
      .isEqualTo(thirtyDays);
    assertThat(admin.lift("/admin/blocks/globex/users/nobody")).as("lifting no block is done already").isEqualTo(204);
  }

  private static FakeDecart.Behaviour ok(String apiKey, Instant expiresAt) {
    return FakeDecart.Behaviour.okBody(new JsonObject().put("apiKey", apiKey).put("token", null)
      .put("expiresAt", expiresAt.toString()).put("permissions", null).put("constraints", null).encode());
  }
}
