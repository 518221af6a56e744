package io.tokengateway.control;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT §13: tenants.yaml {@code blockedUsers} are permanent blocks, listed, and follow the file's reloads. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FileBlocksTest {

  @Test
  void blockedUsersFollowTheTenantsFile(Vertx vertx, @TempDir Path dir) throws Exception {
    FakeDecart decart = await(FakeDecart.start(vertx));
    Path file = dir.resolve("tenants.yaml");
    write(file, "tenants:\n  globex:\n    blockedUsers: [mallory, eve]\n  acme: {}\n");
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.put("tenants", new JsonObject().put("file", file.toString()).put("reloadSeconds", 1));
    config.getJsonObject("management").put("adminTokenEnv", AdminClient.TOKENS_ENV);
    java.util.Map<String, String> env = TestGateway.env();
    env.put(AdminClient.TOKENS_ENV, AdminClient.FIRST);
    try (TestGateway gateway = TestGateway.startWithTenantsFile(vertx, config, env);
         AdminClient admin = new AdminClient(vertx, gateway.managementPort())) {
      assertProblem(gateway.issue(token("globex", "mallory"), null), 403, "blocked");
      assertThat(gateway.issue(token("acme", "mallory"), null).statusCode()).isEqualTo(200);
      assertThat(decart.calls()).isEqualTo(1);
      JsonArray blocks = admin.get("/admin/blocks").getJsonArray("blocks");
      assertThat(blocks).hasSize(2);
      assertThat(blocks.getJsonObject(0).getString("tenant")).isEqualTo("globex");
      assertThat(blocks.getJsonObject(0).getString("user")).isEqualTo("mallory");
      assertThat(blocks.getJsonObject(0).containsKey("until")).isTrue();
      assertThat(blocks.getJsonObject(0).getString("until")).as("permanent").isNull();

      write(file, "tenants:\n  globex:\n    blockedUsers: [eve]\n  acme:\n    blockedUsers: [mallory]\n");
      await().atMost(Duration.ofSeconds(15)).until(() -> gateway.issue(token("globex", "mallory"), null).statusCode() == 200);
      assertProblem(gateway.issue(token("acme", "mallory"), null), 403, "blocked");
      assertThat(admin.get("/admin/blocks").getJsonArray("blocks").stream()
        .map(b -> ((JsonObject) b).getString("tenant") + "/" + ((JsonObject) b).getString("user")))
        .containsExactly("acme/mallory", "globex/eve");
      JsonObject problem = assertProblem(admin.send(HttpMethod.DELETE, "/admin/blocks/acme/users/mallory",
        AdminClient.FIRST, null), 422, "validation_failed");
      assertThat(problem.getString("detail")).contains("tenants.yaml");
      assertProblem(gateway.issue(token("acme", "mallory"), null), 403, "blocked");
    } finally {
      await(decart.close());
    }
  }

  private static void write(Path file, String yaml) throws Exception {
    Path next = file.resolveSibling("tenants.yaml.next");
    Files.writeString(next, yaml);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
