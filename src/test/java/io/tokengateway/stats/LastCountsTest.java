package io.tokengateway.stats;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.GatewayFixture;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONTRACT §9 and §11: the outcomes an event loop still holds when the gateway stops are in its last message. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LastCountsTest {

  @RegisterExtension
  final GatewayFixture fixture = new GatewayFixture();

  @Test
  void outcomesNotYetSentAreCountedInTheLastMessage(Vertx vertx) throws Exception {
    FakeDecart decart = fixture.decart(vertx);
    // An hour between messages: the only one is the last, and outcomes wait the longest (100 ms) to be sent.
    // Started here, not by the fixture: the test stops it itself.
    JsonObject config = TestGateway.config(decart.baseUrl())
      .put("stats", new JsonObject().put("publishIntervalMs", 3_600_000));
    TestGateway gateway = TestGateway.start(vertx, config, TestGateway.tenants(), TestGateway.env());
    LinkedBlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(StatsVerticle.COUNTS_ADDRESS,
      message -> published.add(message.body()));
    await(consumer.completion());
    try {
      assertThat(gateway.issue(token("acme", "a1"), "{}").statusCode()).isEqualTo(200);
      assertThat(gateway.issue(token("acme", "a1"), "{\"expiresIn\":0}").statusCode()).isEqualTo(422);
      gateway.close();
      JsonObject last = published.poll(10, TimeUnit.SECONDS);
      assertThat(last).as("the message published on the way out").isNotNull();
      JsonObject acme = last.getJsonObject("tenants").getJsonObject("acme");
      assertThat(acme.getLong("issuedTotal")).isEqualTo(1);
      assertThat(acme.getLong("deniedTotal")).isEqualTo(1);
    } finally {
      await(consumer.unregister());
    }
  }
}
