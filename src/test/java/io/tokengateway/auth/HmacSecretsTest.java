package io.tokengateway.auth;

import static io.tokengateway.auth.AuthenticatorTest.defaultClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.JwtConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code jwt.hmacSecretEnv} (CONTRACT §4, §14): one or more comma-separated secrets, each long enough for every HS algorithm. */
@Timeout(30)
class HmacSecretsTest {

  static final String ENV = "SESSION_SECRETS";

  private static JwtConfig config(String... algorithms) {
    return new JwtConfig(null, null, ENV, 300, null, null, true, List.of(algorithms), 30, defaultClaims());
  }

  @Test
  void commaSeparatedSecretsAreAllKeptInOrderWithoutSurroundingBlanks() {
    List<byte[]> secrets = HmacSecrets.read(config("HS256"), Map.of(ENV, "a".repeat(32) + " , " + "b".repeat(40)));
    assertThat(secrets).extracting(s -> new String(s, StandardCharsets.UTF_8)).containsExactly("a".repeat(32), "b".repeat(40));
  }

  @Test
  void theLongestConfiguredHashSetsTheMinimum() {
    assertThat(HmacSecrets.minBytes(List.of("HS256"))).isEqualTo(32);
    assertThat(HmacSecrets.minBytes(List.of("HS256", "HS384"))).isEqualTo(48);
    assertThat(HmacSecrets.minBytes(List.of("HS512", "HS256"))).isEqualTo(64);
    assertThat(HmacSecrets.read(config("HS512"), Map.of(ENV, "x".repeat(64)))).hasSize(1);
  }

  static Stream<Arguments> refusedSecrets() {
    return Stream.of(
      Arguments.of("unset", config("HS256"), Map.of()),
      Arguments.of("blank", config("HS256"), Map.of(ENV, "  ")),
      Arguments.of("31 bytes for HS256", config("HS256"), Map.of(ENV, "s".repeat(31))),
      Arguments.of("47 bytes for HS384", config("HS384"), Map.of(ENV, "s".repeat(47))),
      Arguments.of("63 bytes for HS512", config("HS256", "HS512"), Map.of(ENV, "s".repeat(63))),
      Arguments.of("the second of two short", config("HS256"), Map.of(ENV, "s".repeat(32) + ",short-secret")),
      Arguments.of("an empty entry", config("HS256"), Map.of(ENV, "s".repeat(32) + ",," + "t".repeat(32))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedSecrets")
  void aMissingOrShortSecretIsAConfigErrorThatQuotesNoSecret(String name, JwtConfig config, Map<String, String> env) {
    assertThatThrownBy(() -> HmacSecrets.read(config, env))
      .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("jwt.hmacSecretEnv"))
      .hasMessageContaining(ENV).hasMessageNotContaining("sss").hasMessageNotContaining("short-secret");
  }
}
