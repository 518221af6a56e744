package io.tokengateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decart's token URL, taken apart once, gives what WebClient's {@code postAbs} took from it on every attempt. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DecartTargetTest {

  @ParameterizedTest
  @CsvSource({
    "https://api.decart.ai/v1/client/tokens,           true,  api.decart.ai,  443,   /v1/client/tokens",
    "http://127.0.0.1:18080/v1/client/tokens,          false, 127.0.0.1,      18080, /v1/client/tokens",
    "http://decart-proxy.internal/prefix/v1/client/tokens, false, decart-proxy.internal, 80, /prefix/v1/client/tokens",
    "HTTPS://Decart.example:8443/v1/client/tokens,     true,  Decart.example, 8443,  /v1/client/tokens",
    "http://[::1]:9000/v1/client/tokens,               false, [::1],          9000,  /v1/client/tokens",
    "http://decart_fake:81/v1/client/tokens,           false, decart_fake,    81,    /v1/client/tokens",
  })
  void theUrlIsTakenApartAsWebClientDid(String url, boolean ssl, String host, int port, String path) {
    assertThat(DecartClient.Target.of(url)).isEqualTo(new DecartClient.Target(ssl, host, port, path));
  }

  @Test
  void aUrlThatIsNoneIsRefusedAtOnce() {
    assertThatThrownBy(() -> DecartClient.Target.of("not a url"))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
