package io.tokengateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.codec.spi.BodyStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CONTRACT §5: Decart's answer is collected whole, in order, up to the bound and never beyond. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BoundedBodyTest {

  private final BoundedBody codec = new BoundedBody(16);

  @Test
  void oneChunkIsTheAnswer() {
    BodyStream<Buffer> body = codec.stream();
    body.write(Buffer.buffer("{\"apiKey\":1}"));
    body.end();
    assertThat(body.result().result().toString()).isEqualTo("{\"apiKey\":1}");
  }

  @Test
  void chunksAreJoinedInOrderWithoutTouchingTheFirst() {
    BodyStream<Buffer> body = codec.stream();
    Buffer first = Buffer.buffer("abc");
    body.write(first);
    body.write(Buffer.buffer(""));
    body.write(Buffer.buffer("def"));
    body.write(Buffer.buffer("gh"));
    body.end();
    assertThat(body.result().result().toString()).isEqualTo("abcdefgh");
    assertThat(first.toString()).isEqualTo("abc");
  }

  @Test
  void noChunkIsAnEmptyAnswer() {
    BodyStream<Buffer> body = codec.stream();
    body.end();
    assertThat(body.result().result().length()).isZero();
  }

  @Test
  void anAnswerBeyondTheBoundFails() {
    BodyStream<Buffer> body = codec.stream();
    assertThat(body.write(Buffer.buffer("0123456789")).succeeded()).isTrue();
    assertThat(body.write(Buffer.buffer("0123456")).failed()).isTrue();
    body.end();
    assertThat(body.result().cause()).isInstanceOf(BoundedBody.TooLarge.class);
  }
}
