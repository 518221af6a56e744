package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §6: over HTTP/2 (TLS + ALPN) every answer, refusals included, is a well-formed HTTP/2 response,
 * and a refusal leaves the connection serving other streams. A real h2 client, one connection.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class Http2Test {

  private static final int MAX_BODY_BYTES = 1024;
  /** Above the 8 KiB default, so the advertised setting is seen to follow the config. */
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private FakeDecart decart;
  private TestGateway gateway;
  private HttpClient client;

  /** One answer as the h2 client saw it, with the connection it came on. */
  private record Answer(int status, String body, String connectionHeader, HttpVersion version,
                        HttpConnection connection) {}

  @BeforeEach
  void start(Vertx vertx) {
    decart = await(FakeDecart.start(vertx));
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    JsonObject config = TestGateway.config(decart.baseUrl());
    config.getJsonObject("server").put("maxBodyBytes", MAX_BODY_BYTES).put("maxHeaderBytes", MAX_HEADER_BYTES)
      .put("tls", new JsonObject().put("certFile", certificate.certificatePath())
        .put("keyFile", certificate.privateKeyPath()));
    JsonObject tenants = TestGateway.tenants().put("defaults", new JsonObject()
      .put("rateLimit", new JsonObject().put("perSecond", 0).put("perUserPerMinute", 1)));
    gateway = TestGateway.start(vertx, config, tenants, TestGateway.env());
    client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
      .setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2), new PoolOptions().setHttp2MaxSize(1));
  }

  @AfterEach
  void stop() {
    await(client.close());
    gateway.close();
    await(decart.close());
  }

  @Test
  void everyAnswerIsAWellFormedHttp2ResponseOnOneConnection() {
    Answer issued = await(post(token("globex", "u1"), Buffer.buffer("{}"), Map.of()));
    assertH2(issued, 200);
    assertThat(new JsonObject(issued.body()).getString("apiKey")).startsWith("ek_");

    // 401 with a body the gateway never reads: the refusal must not break the stream or the connection.
    Answer unauthenticated = await(post(null, Buffer.buffer("{\"expiresIn\":60}"), Map.of()));
    assertH2(unauthenticated, 401);
    assertThat(unauthenticated.body()).contains("\"code\":\"missing_token\"");

    Answer tooLarge = await(post(token("globex", "u2"), Buffer.buffer("x".repeat(MAX_BODY_BYTES + 1)), Map.of()));
    assertH2(tooLarge, 413);
    assertThat(tooLarge.body()).contains("\"code\":\"payload_too_large\"");

    Answer invalid = await(post(token("globex", "u3"), Buffer.buffer("{\"expiresIn\":\"60\"}"), Map.of()));
    assertH2(invalid, 422);
    assertThat(invalid.body()).contains("\"code\":\"validation_failed\"");

    assertH2(await(post(token("globex", "u4"), Buffer.buffer("{}"), Map.of())), 200);
    Answer limited = await(post(token("globex", "u4"), Buffer.buffer("{\"expiresIn\":60}"), Map.of()));
    assertH2(limited, 429);
    assertThat(limited.body()).contains("\"code\":\"rate_limited\"");

    List<Answer> all = List.of(issued, unauthenticated, tooLarge, invalid, limited);
    assertThat(all).extracting(Answer::connection).containsOnly(issued.connection());
  }

  @Test
  void severalStreamsAfterARefusalAreServedOnTheSameConnection() {
    Answer refused = await(post(null, Buffer.buffer("{\"expiresIn\":60}"), Map.of()));
    assertH2(refused, 401);
    List<Future<Answer>> streams = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      streams.add(post(token("globex", "user-" + i), Buffer.buffer("{}"), Map.of()));
    }
    List<Answer> answers = await(Future.all(streams)).list();
    for (Answer answer : answers) {
      assertH2(answer, 200);
    }
    assertThat(answers).extracting(Answer::connection).containsOnly(refused.connection());
    assertThat(decart.calls()).isEqualTo(8);
  }

  @Test
  void anOverLimitBodyStreamedWithoutLengthIs413AndTheConnectionLives() {
    Answer tooLarge = await(client.request(options()).compose(request -> {
      request.putHeader("authorization", "Bearer " + token("globex", "u1")).putHeader("content-type", "application/json");
      request.setChunked(true).write(Buffer.buffer("{\"metadata\":{\"pad\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}}"));
      return request.response().compose(this::answer);
    }));
    assertH2(tooLarge, 413);
    Answer next = await(post(token("globex", "u2"), Buffer.buffer("{}"), Map.of()));
    assertH2(next, 200);
    assertThat(next.connection()).isSameAs(tooLarge.connection());
  }

  @Test
  void whileDrainingAnswersAreWellFormedAndTheConnectionGetsGoAway() {
    Answer before = await(post(token("globex", "u1"), Buffer.buffer("{}"), Map.of()));
    assertH2(before, 200);
    java.util.concurrent.atomic.AtomicBoolean goAway = new java.util.concurrent.atomic.AtomicBoolean();
    before.connection().goAwayHandler(frame -> goAway.set(true));
    gateway.gateway().readiness().shuttingDown();
    Answer draining = await(post(token("globex", "u2"), Buffer.buffer("{}"), Map.of()));
    assertH2(draining, 200);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilTrue(goAway);
    Answer after = await(post(token("globex", "u3"), Buffer.buffer("{}"), Map.of()));
    assertH2(after, 200);
    assertThat(after.connection()).as("a new connection after GOAWAY").isNotSameAs(before.connection());
  }

  @Test
  void theHeadLimitIsAdvertisedAsMaxHeaderListSize() {
    Answer answer = await(post(token("globex", "u1"), Buffer.buffer("{}"), Map.of("x-pad", "a".repeat(9000))));
    assertH2(answer, 200);
    assertThat(answer.connection().remoteSettings().getMaxHeaderListSize()).isEqualTo(MAX_HEADER_BYTES);
  }

  private Future<Answer> post(String bearer, Buffer body, Map<String, String> headers) {
    return client.request(options()).compose(request -> {
      if (bearer != null) {
        request.putHeader("authorization", "Bearer " + bearer);
      }
      request.putHeader("content-type", "application/json");
      headers.forEach(request::putHeader);
      return request.send(body).compose(this::answer);
    });
  }

  private Future<Answer> answer(HttpClientResponse response) {
    return response.body().map(body -> new Answer(response.statusCode(), body.toString(),
      response.getHeader("connection"), response.version(), response.request().connection()));
  }

  private RequestOptions options() {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.port())
      .setURI("/v1/client/tokens");
  }

  private static void assertH2(Answer answer, int status) {
    assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(answer.connectionHeader()).as("connection-specific header on HTTP/2").isNull();
  }
}
