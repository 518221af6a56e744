package io.tokengateway.upstream;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Problems.assertProblem;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.FakeDecart.Behaviour;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.RequestLoop;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT §14 through the public API: a key file re-read without restart (plain rewrite and the kubelet's
 * symlink swap) under a steady request loop, fallback to the next key on 401, the cooldown, all keys revoked,
 * a bad file, and no key material on any surface.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class KeyRotationTest {

  private static final String OLD = "dct_old_key_0123456789";
  private static final String NEW = "dct_new_key_9876543210";

  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;
  @TempDir
  Path dir;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
    decart.respond(Behaviour.rejectKeys(revoked));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    await(decart.close());
  }

  private void startWith(Path keyFile) {
    JsonObject config = TestGateway.config(decart.baseUrl()).put("tenants", new JsonObject().put("reloadSeconds", 1));
    config.getJsonObject("decart").put("apiKeyFile", keyFile.toString());
    JsonObject tenants = new JsonObject().put("tenants", new JsonObject().put("globex", new JsonObject()
      .put("rateLimit", new JsonObject().put("perSecond", 0).put("perUserPerMinute", 0))));
    gateway = TestGateway.start(vertx, config, tenants, TestGateway.env());
  }

  @Test
  void aKeyFileRewrittenOnDiskIsUsedByTheNextRequestsWithoutAFailedOne() throws Exception {
    Path file = Files.writeString(dir.resolve("decart-keys"), OLD + "\n");
    startWith(file);
    rotateUnderLoad(() -> Files.writeString(file, NEW + "\n" + OLD + "\n"));
  }

  @Test
  void aSecretVolumeSymlinkSwapIsUsedByTheNextRequestsWithoutAFailedOne() throws Exception {
    Path first = Files.createDirectory(dir.resolve("..2026_11_28_01"));
    Files.writeString(first.resolve("DECART_API_KEY"), OLD + "\n");
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("DECART_API_KEY"), Path.of("..data", "DECART_API_KEY"));
    startWith(file);
    rotateUnderLoad(() -> {
      Path next = Files.createDirectory(dir.resolve("..2026_11_28_02"));
      Files.writeString(next.resolve("DECART_API_KEY"), NEW + "\n" + OLD + "\n");
      Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), next.getFileName());
      Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    });
  }

  @Test
  void aRevokedPrimaryIsServedByTheSecondaryAndSkippedOnceMarked() throws Exception {
    Path file = Files.writeString(dir.resolve("decart-keys"), OLD + "\n" + NEW + "\n");
    startWith(file);
    revoked.add(OLD);
    assertThat(gateway.issue(token("globex", "u1"), "{}").statusCode()).isEqualTo(200);
    assertThat(decart.received()).extracting(r -> r.headers().get("x-api-key")).containsExactly(OLD, NEW);
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.issue(token("globex", "u1"), "{}").statusCode()).isEqualTo(200);
    }
    assertThat(decart.calls()).as("one extra call, then the cooldown skips the revoked key").isEqualTo(5);
    assertThat(decart.last().headers().get("x-api-key")).isEqualTo(NEW);
    String scrape = gateway.scrape();
    assertThat(Metrics.sample(scrape, "token_gateway_decart_key_rejections_total", "account=" + file)).isEqualTo(1.0);
    JsonObject keys = check("decart-keys");
    assertThat(keys.getJsonObject(file.toString())).isEqualTo(new JsonObject().put("keys", 2).put("rejected", 1));
    assertNoKeyMaterial(scrape, readiness().bodyAsString(),
      gateway.get(gateway.managementPort(), "/admin/issuance", MultiMap.caseInsensitiveMultiMap()).bodyAsString());
  }

  @Test
  void everyKeyRevokedIs502UpstreamAuthFailed() throws Exception {
    Path file = Files.writeString(dir.resolve("decart-keys"), OLD + "\n" + NEW + "\n");
    startWith(file);
    revoked.addAll(Set.of(OLD, NEW));
    assertProblem(gateway.issue(token("globex", "u1"), "{}"), 502, "upstream_auth_failed");
    assertThat(decart.calls()).isEqualTo(2);
    assertProblem(gateway.issue(token("globex", "u1"), "{}"), 502, "upstream_auth_failed");
    assertThat(decart.calls()).as("every key cooling: one call, in case a key came back").isEqualTo(3);
    assertThat(check("decart-keys").getJsonObject(file.toString()).getInteger("rejected")).isEqualTo(2);
  }

  @Test
  void aBadKeyFileKeepsTheLastGoodKeys() throws Exception {
    Path file = Files.writeString(dir.resolve("decart-keys"), OLD + "\n");
    startWith(file);
    for (String bad : new String[] {"dct_REPLACE_ME\n", "ek_client_token\n", ""}) {
      Files.writeString(file, bad);
      await(gateway.gateway().accountKeys().refresh(vertx));
      assertThat(gateway.issue(token("globex", "u1"), "{}").statusCode()).isEqualTo(200);
      assertThat(decart.last().headers().get("x-api-key")).as("after %s", bad).isEqualTo(OLD);
    }
  }

  @FunctionalInterface
  private interface Rotation {
    void run() throws Exception;
  }

  /** A steady loop of 4 callers; the rotation happens under it; every answer must be a 200. */
  private void rotateUnderLoad(Rotation rotation) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    RequestLoop load = RequestLoop.start(gateway, "globex", 4, running::get);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> decart.calls() >= 20);
    rotation.run();
    Awaitility.await().atMost(Duration.ofSeconds(15))
      .until(() -> NEW.equals(decart.last().headers().get("x-api-key")));
    int seen = decart.calls();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> decart.calls() >= seen + 20);
    running.set(false);
    await(load.done());
    assertThat(load.statuses()).as("every answer during the rotation").containsOnlyKeys(200);
    assertThat(decart.last().headers().get("x-api-key")).isEqualTo(NEW);
  }

  private io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> readiness() {
    return gateway.get(gateway.managementPort(), "/health/ready", MultiMap.caseInsensitiveMultiMap());
  }

  private JsonObject check(String id) {
    return readiness().bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(check -> check.getString("id").equals(id)).findFirst().orElseThrow().getJsonObject("data");
  }

  private static void assertNoKeyMaterial(String... surfaces) {
    for (String surface : surfaces) {
      assertThat(surface).doesNotContain(OLD).doesNotContain(NEW).doesNotContain("dct_");
    }
  }
}
