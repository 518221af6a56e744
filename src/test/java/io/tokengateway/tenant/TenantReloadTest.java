package io.tokengateway.tenant;

import static io.tokengateway.testing.Await.eventually;
import static io.tokengateway.testing.Metrics.sample;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT §4 {@code tenants.reloadSeconds}: edits to the file under a running gateway, seen through HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TenantReloadTest {

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();
  private FakeDecart decart;
  private TestGateway gateway;
  private Path file;
  private Map<String, String> env;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    decart = fixture.decart(vertx);
    file = dir.resolve("tenants.yaml");
    write("tenants:\n  globex:\n    rateLimit: {perSecond: 0, perUserPerMinute: 2}\n");
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.put("tenants", new JsonObject().put("file", file.toString()).put("reloadSeconds", 1));
    env = TestGateway.env();
    gateway = fixture.gatewayWithTenantsFile(vertx, config, env);
  }

  private void write(String yaml) throws Exception {
    Path next = file.resolveSibling("tenants.yaml.next");
    Files.writeString(next, yaml);
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private int status(String tenant, String user) {
    return gateway.issue(token(tenant, user), null).statusCode();
  }

  @Test
  void changesApplyWithoutRestartAndABrokenFileIsIgnored() throws Exception {
    assertProblem(gateway.issue(token("initech", "u1"), null), 403, "unknown_tenant");
    assertThat(status("globex", "u1")).isEqualTo(200);
    assertThat(status("globex", "u1")).isEqualTo(200);
    assertThat(status("globex", "u1")).as("2 per user per minute").isEqualTo(429);

    write("tenants:\n  globex:\n    rateLimit: {perSecond: 0, perUserPerMinute: 3}\n  initech: {}\n");
    awaitTrue(() -> status("initech", "u1") == 200);
    assertThat(status("globex", "u1")).as("the raised limit, counting the user's earlier tokens").isEqualTo(200);
    assertThat(status("globex", "u1")).isEqualTo(429);

    write("tenants:\n  globex:\n    enabled: false\n  initech: {}\n");
    awaitTrue(() -> gateway.issue(token("globex", "u2"), null).statusCode() == 403);
    assertProblem(gateway.issue(token("globex", "u2"), null), 403, "tenant_disabled");

    write("tenants:\n  globex: {colour: red}\n");
    awaitTrue(() -> sample(gateway.scrape(), "token_gateway_config_reloads_total", "result=rejected") == 1);
    assertThat(status("initech", "u3")).as("the last good file stays in force").isEqualTo(200);
    assertProblem(gateway.issue(token("globex", "u3"), null), 403, "tenant_disabled");
    assertThat(sample(gateway.scrape(), "token_gateway_config_reloads_total", "result=ok")).isEqualTo(2);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    eventually().until(condition::getAsBoolean);
  }
}
