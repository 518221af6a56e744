package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONTRACT §6: {@code Expect: 100-continue} invites the body only when it will be read. Raw sockets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ExpectContinueTest {

  private static final String BODY = "{\"expiresIn\":60}";

  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
    gateway = TestGateway.start(vertx, decart);
  }

  @AfterEach
  void stop() {
    gateway.close();
    await(decart.close());
  }

  @Test
  void anOverLimitLengthIs413WithoutInvitingTheBody() {
    String raw = await(RawHttp.exchange(vertx, gateway.port(), 1, 3000, head(token("globex", "u1"), 50_000_000)));
    assertThat(raw).startsWith("HTTP/1.1 413").contains("\"code\":\"payload_too_large\"").doesNotContain("100 Continue");
    assertThat(decart.calls()).isZero();
  }

  @Test
  void anUnauthenticatedCallerIsNotInvitedEither() {
    String raw = await(RawHttp.exchange(vertx, gateway.port(), 1, 3000, head(null, BODY.length())));
    assertThat(raw).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
  }

  @Test
  void anAcceptableRequestIsInvitedAndServed() {
    // The body follows the head after a pause, as a client waiting for the invitation would send it.
    String raw = await(RawHttp.exchange(vertx, gateway.port(), 300, 3000, head(token("globex", "u1"), BODY.length()), BODY));
    assertThat(raw).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ");
    assertThat(decart.calls()).isEqualTo(1);
    assertThat(decart.last().json().getInteger("expiresIn")).isEqualTo(60);
  }

  private static String head(String bearer, long contentLength) {
    return "POST /v1/client/tokens HTTP/1.1\r\nHost: x\r\n" + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
      + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }
}
