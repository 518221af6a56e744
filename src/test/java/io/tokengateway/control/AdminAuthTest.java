package io.tokengateway.control;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.ConfigLoader;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONTRACT §13 admin authentication: every /admin path behind one of the tokens; health and metrics open. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AdminAuthTest {

  /** One row per admin path: method, path, a body for writes. */
  private record Route(HttpMethod method, String path, String body) {}

  private static final List<Route> ROUTES = List.of(
    new Route(HttpMethod.GET, "/admin/issuance", null),
    new Route(HttpMethod.GET, "/admin/blocks", null),
    new Route(HttpMethod.GET, "/admin/ledger?tenant=acme", null),
    new Route(HttpMethod.PUT, "/admin/blocks/globex", "{\"reason\":\"test\"}"),
    new Route(HttpMethod.PUT, "/admin/blocks/globex/users/u1", "{\"reason\":\"test\"}"),
    new Route(HttpMethod.DELETE, "/admin/blocks/globex/users/u1", null),
    new Route(HttpMethod.DELETE, "/admin/blocks/globex", null));

  private FakeDecart decart;
  private TestGateway gateway;
  private AdminClient admin;

  @AfterEach
  void stop() {
    if (gateway != null) {
      admin.close();
      gateway.close();
      await(decart.close());
    }
  }

  private void start(Vertx vertx, boolean withTokens) {
    decart = await(FakeDecart.start(vertx));
    JsonObject config = TestGateway.config(decart.baseUrl());
    Map<String, String> env = TestGateway.env();
    if (withTokens) {
      config.getJsonObject("management").put("adminTokenEnv", AdminClient.TOKENS_ENV);
      env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST + " , " + AdminClient.SECOND);
    }
    gateway = TestGateway.start(vertx, config, TestGateway.tenants(), env);
    admin = new AdminClient(vertx, gateway.managementPort());
  }

  @Test
  void everyAdminPathNeedsOneOfTheTokens(Vertx vertx) {
    start(vertx, true);
    for (Route route : ROUTES) {
      HttpResponse<Buffer> none = admin.send(route.method(), route.path(), null, route.body());
      assertProblem(none, 401, "missing_token");
      assertThat(none.getHeader("www-authenticate")).as(route.path()).isEqualTo("Bearer");
      HttpResponse<Buffer> wrong = admin.send(route.method(), route.path(), AdminClient.FIRST + "x", route.body());
      assertProblem(wrong, 401, "invalid_token");
      assertThat(wrong.getHeader("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
      for (String token : List.of(AdminClient.FIRST, AdminClient.SECOND)) {
        int status = admin.send(route.method(), route.path(), token, route.body()).statusCode();
        assertThat(status).as("%s %s", route.method(), route.path()).isIn(200, 204);
      }
    }
    assertProblem(admin.send(HttpMethod.GET, "/admin/blocks", "Basic " + AdminClient.FIRST, null), 401,
      "invalid_token");
    assertProblem(admin.send(HttpMethod.GET, "/admin/nothing-here", null, null), 401, "missing_token");
    assertThat(admin.send(HttpMethod.GET, "/admin/nothing-here", AdminClient.SECOND, null).statusCode()).isEqualTo(404);
    assertThat(admin.send(HttpMethod.GET, "/health/live", null, null).statusCode()).isEqualTo(200);
    assertThat(admin.send(HttpMethod.GET, "/health/ready", null, null).statusCode()).isEqualTo(200);
    assertThat(admin.send(HttpMethod.GET, "/metrics", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void theStreamNeedsATokenToo(Vertx vertx) {
    start(vertx, true);
    assertProblem(admin.send(HttpMethod.GET, "/admin/issuance/stream", null, null), 401, "missing_token");
    assertProblem(admin.send(HttpMethod.GET, "/admin/issuance/stream", "not-a-token", null), 401, "invalid_token");
  }

  @Test
  void withoutTokensReadsAreServedAndWritesRefused(Vertx vertx) {
    start(vertx, false);
    for (Route route : ROUTES) {
      HttpResponse<Buffer> response = admin.send(route.method(), route.path(), null, route.body());
      if (route.method() == HttpMethod.GET) {
        assertThat(response.statusCode()).as(route.path()).isEqualTo(200);
      } else {
        assertProblem(response, 403, "admin_disabled");
      }
    }
    assertProblem(admin.send(HttpMethod.PUT, "/admin/blocks/globex", AdminClient.FIRST, "{\"reason\":\"x\"}"), 403,
      "admin_disabled");
  }

  @Test
  void theTokensAreCheckedBeforeAnythingListens() {
    JsonObject config = TestGateway.config("http://127.0.0.1:1");
    config.getJsonObject("management").put("adminTokenEnv", AdminClient.TOKENS_ENV);
    Map<String, String> env = TestGateway.env();
    assertThatThrownBy(() -> ConfigLoader.parse(config, env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("management.adminTokenEnv").hasMessageContaining("not set");
    env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST + ",short-token");
    assertThatThrownBy(() -> ConfigLoader.parse(config, env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("management.adminTokenEnv").hasMessageContaining("token 2")
      .hasMessageNotContaining("short-token");
    env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST + ",");
    assertThatThrownBy(() -> ConfigLoader.parse(config, env)).isInstanceOf(ConfigException.class);
    env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST + "," + AdminClient.SECOND);
    assertThat(ConfigLoader.adminTokens(ConfigLoader.parse(config, env).management(), env))
      .containsExactly(AdminClient.FIRST, AdminClient.SECOND);
  }
}
