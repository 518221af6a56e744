package io.tokengateway.cluster;

import static io.tokengateway.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.stats.StatsVerticle;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONTRACT §10: forged and garbled counts messages published on the gateway's own event bus are
 * ignored with one WARN per claimed node, and {@code /admin/issuance} keeps answering the true totals.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerCountsTest {

  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private TestGateway gateway;
  private AbstractAppender capture;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    FakeDecart decart = await(FakeDecart.start(vertx));
    gateway = TestGateway.start(vertx, decart);
    captureWarnings();
  }

  @AfterEach
  void stop() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().removeLogger(PeerCounts.class.getName());
    context.updateLoggers();
    capture.stop();
    await(vertx.close());
  }

  @Test
  void forgedAndGarbledCountsAreIgnoredOncePerNodeAndNeverBreakTheTotals() {
    assertThat(gateway.issue(TestGateway.token("acme", "u1"), "{}").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> issued(issuance()) == 1);
    String self = selfNodeId();

    publish(counts(self, "acme").put("tenants", new JsonObject().put("acme", counts().put("issuedTotal", "lots"))));
    publish(counts("ghost", "acme"));
    publish(counts("ghost", "acme"));
    publish(new JsonObject().put("node", 42).put("tenants", "none"));
    vertx.eventBus().publish(StatsVerticle.COUNTS_ADDRESS, "not even JSON");

    await().atMost(Duration.ofSeconds(10)).until(() -> warnings.size() >= 3);
    // The node's own stats verticle publishes again meanwhile: its true message replaces nothing forged.
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      HttpResponse<Buffer> admin = gateway.get(gateway.managementPort(), "/admin/issuance", MultiMap.caseInsensitiveMultiMap());
      assertThat(admin.statusCode()).isEqualTo(200);
      assertThat(issued(admin.bodyAsJsonObject())).isEqualTo(1);
    });
    assertThat(warnings).as("one WARN per claimed node").hasSize(3);
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("node " + self).contains("tenant acme"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("node ghost").contains("not from a current member"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("node (none)"));
  }

  @Test
  void extraNumericFieldsPerTenantAreTolerated() {
    JsonObject counts = counts().put("leased", 3).put("waiting", 0);
    assertThat(PeerCounts.shapeFault(counts("n", "acme").put("tenants", new JsonObject().put("acme", counts)))).isNull();
    assertThat(PeerCounts.shapeFault(counts("n", "acme").put("tenants",
      new JsonObject().put("acme", counts().put("denied", -1))))).contains("acme");
    assertThat(PeerCounts.shapeFault(counts("n", "acme").put("tenants",
      new JsonObject().put("acme", counts().put("failedTotal", 1.5))))).contains("acme");
    assertThat(PeerCounts.shapeFault(new JsonObject().put("node", "n").put("at", "t").put("tenants", new JsonObject())))
      .as("no intervalMs").isNotNull();
  }

  private void publish(JsonObject message) {
    vertx.eventBus().publish(StatsVerticle.COUNTS_ADDRESS, message);
  }

  private static JsonObject counts(String node, String tenant) {
    return new JsonObject().put("node", node).put("at", "2026-11-28T00:00:00Z").put("intervalMs", 1000)
      .put("tenants", new JsonObject().put(tenant, counts().put("issuedTotal", 1000)));
  }

  private static JsonObject counts() {
    return new JsonObject().put("issued", 0).put("denied", 0).put("failed", 0).put("issuedTotal", 0)
      .put("deniedTotal", 0).put("failedTotal", 0);
  }

  private JsonObject issuance() {
    return gateway.get(gateway.managementPort(), "/admin/issuance", MultiMap.caseInsensitiveMultiMap()).bodyAsJsonObject();
  }

  private static long issued(JsonObject issuance) {
    JsonObject acme = issuance.getJsonObject("tenants").getJsonObject("acme");
    return acme == null ? 0 : acme.getLong("issued");
  }

  private String selfNodeId() {
    JsonArray checks = gateway.get(gateway.managementPort(), "/health/ready", MultiMap.caseInsensitiveMultiMap()).bodyAsJsonObject()
      .getJsonArray("checks");
    return checks.stream().map(JsonObject.class::cast).filter(check -> "cluster".equals(check.getString("id")))
      .findFirst().orElseThrow().getJsonObject("data").getString("node");
  }

  /** Listens to PeerCounts' WARN lines through Log4j2 itself, as they would reach stdout. */
  private void captureWarnings() {
    capture = new AbstractAppender("peer-counts-capture", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        if (event.getLevel() == Level.WARN) {
          warnings.add(event.getMessage().getFormattedMessage());
        }
      }
    };
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    LoggerConfig logger = new LoggerConfig(PeerCounts.class.getName(), Level.WARN, false);
    logger.addAppender(capture, Level.WARN, null);
    context.getConfiguration().addLogger(PeerCounts.class.getName(), logger);
    context.updateLoggers();
  }
}
