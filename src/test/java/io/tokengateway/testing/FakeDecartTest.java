package io.tokengateway.testing;

import static io.tokengateway.testing.FakeDecart.Behaviour.delay;
import static io.tokengateway.testing.FakeDecart.Behaviour.failFirst;
import static io.tokengateway.testing.FakeDecart.Behaviour.hang;
import static io.tokengateway.testing.FakeDecart.Behaviour.okBody;
import static io.tokengateway.testing.FakeDecart.Behaviour.randomFailures;
import static io.tokengateway.testing.FakeDecart.Behaviour.redirect;
import static io.tokengateway.testing.FakeDecart.Behaviour.resetAfterHead;
import static io.tokengateway.testing.FakeDecart.Behaviour.resetBeforeHead;
import static io.tokengateway.testing.FakeDecart.Behaviour.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each behaviour of the fake, checked once over real HTTP, so the gateway's tests can trust it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeDecartTest {

  private Vertx vertx;
  private WebClient client;
  private FakeDecart fake;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    this.fake = FakeDecart.start(vertx).await();
  }

  @Test
  void answersAFreshTokenAndRecordsTheRequest() {
    HttpResponse<Buffer> response = post("{\"expiresIn\":90}").await();

    JsonObject body = response.bodyAsJsonObject();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.getString("apiKey")).startsWith("ek_");
    assertThat(body.getString("expiresAt")).isNotBlank();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("apiKey", "token", "expiresAt", "permissions", "constraints");
    FakeDecart.Recorded last = fake.last();
    assertThat(last.method()).isEqualTo("POST");
    assertThat(last.path()).isEqualTo("/v1/client/tokens");
    assertThat(last.headers().get("X-Api-Key")).isEqualTo("dct_fake_test");
    assertThat(last.body().toString()).isEqualTo("{\"expiresIn\":90}");
    assertThat(last.json().getInteger("expiresIn")).isEqualTo(90);
    assertThat(fake.calls()).isEqualTo(1);
  }

  @Test
  void statusesBodiesAndHeadersAreAsScripted() {
    fake.script(status(429, "{\"detail\":\"slow down\"}", Map.of("Retry-After", "7")),
      redirect(307, "http://127.0.0.1:1/elsewhere"), okBody("{\"apiKey\":\"dct_leak\"}"));

    HttpResponse<Buffer> throttled = post("{}").await();
    HttpResponse<Buffer> redirected = post("{}").await();
    HttpResponse<Buffer> raw = post("{}").await();
    HttpResponse<Buffer> fallback = post("{}").await();

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("retry-after")).isEqualTo("7");
    assertThat(redirected.statusCode()).isEqualTo(307);
    assertThat(redirected.getHeader("location")).isEqualTo("http://127.0.0.1:1/elsewhere");
    assertThat(raw.bodyAsString()).isEqualTo("{\"apiKey\":\"dct_leak\"}");
    assertThat(fallback.statusCode()).isEqualTo(200);
    assertThat(fake.calls()).isEqualTo(4);
  }

  @Test
  void failFirstThenOk() {
    fake.respond(failFirst(2, status(503, "{}")));

    assertThat(statuses(4)).containsExactly(503, 503, 200, 200);
  }

  @Test
  void randomFailuresAreReproducibleBySeed() {
    fake.respond(randomFailures(0.5, 42));
    List<Integer> first = statuses(20);
    fake.respond(randomFailures(0.5, 42));

    assertThat(statuses(20)).isEqualTo(first);
    assertThat(first).contains(200, 500).containsOnly(200, 500);
  }

  @Test
  void delayIsHonoured() {
    fake.respond(delay(300));

    long start = System.nanoTime();
    assertThat(post("{}").await().statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void hangTimesTheClientOutAndTheAbandonedRequestIsSeen() {
    fake.respond(hang());

    assertThatThrownBy(() -> client.postAbs(fake.baseUrl() + "/v1/client/tokens").timeout(300).send().await())
      .isInstanceOf(TimeoutException.class);

    fake.firstClientClose().await();
    assertThat(fake.clientClosedConnections()).isEqualTo(1);
    assertThat(fake.calls()).isEqualTo(1);
  }

  @Test
  void resetBeforeHeadClosesTheConnection() {
    fake.respond(resetBeforeHead());

    assertThatThrownBy(() -> post("{}").await()).isInstanceOf(HttpClosedException.class);
    assertThat(fake.calls()).isEqualTo(1);
    assertThat(fake.clientClosedConnections()).isZero();
  }

  @Test
  void resetAfterHeadSendsAHeadThenClosesMidBody() {
    fake.respond(resetAfterHead());
    AtomicInteger status = new AtomicInteger();
    // Held until the end: Vert.x's cleaner shuts down a client nobody references, even with a request under way.
    HttpClient http = vertx.createHttpClient();

    // body() is asked for inside send()'s callback, in the event-loop turn that delivers the head: chained after
    // it from this thread instead, it may come after the partial body and the close, which are then lost.
    Future<Buffer> body = http.request(HttpMethod.POST, fake.port(), "127.0.0.1", "/v1/client/tokens")
      .compose(request -> request.send().compose(response -> {
        status.set(response.statusCode());
        return response.body();
      }));

    assertThatThrownBy(body::await).isInstanceOf(HttpClosedException.class);
    assertThat(status).hasValue(200);
    http.close().await();
  }

  @Test
  void resetForgetsCallsAndScript() {
    fake.respond(status(500, "{}"));
    post("{}").await();

    fake.reset();

    assertThat(fake.calls()).isZero();
    assertThat(fake.last()).isNull();
    assertThat(post("{}").await().statusCode()).isEqualTo(200);
  }

  @Test
  void canaryCountsWhatReachesIt() {
    Canary canary = Canary.start(vertx).await();

    client.getAbs(canary.baseUrl() + "/anything").send().await();

    assertThat(canary.calls()).isEqualTo(1);
  }

  private Future<HttpResponse<Buffer>> post(String body) {
    return client.postAbs(fake.baseUrl() + "/v1/client/tokens")
      .putHeader("x-api-key", "dct_fake_test").putHeader("content-type", "application/json")
      .sendBuffer(Buffer.buffer(body));
  }

  private List<Integer> statuses(int calls) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      statuses.add(post("{}").await().statusCode());
    }
    return statuses;
  }
}
