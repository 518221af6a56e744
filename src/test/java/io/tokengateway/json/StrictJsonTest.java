package io.tokengateway.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict reader's streaming check used on Decart's answers: as strict as the full parse. */
@Timeout(10)
class StrictJsonTest {

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void returnsTheNamedRootStrings() throws Exception {
    String[] values = StrictJson.rootStrings(bytes("{\"apiKey\":\"ek_1\",\"nested\":{\"apiKey\":\"no\"},"
      + "\"list\":[1,{\"a\":2}],\"expiresAt\":\"2026-01-01T00:00:00Z\",\"n\":5}"), "apiKey", "expiresAt", "n");
    assertThat(values).containsExactly("ek_1", "2026-01-01T00:00:00Z", null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"apiKey\":\"ek_1\",\"apiKey\":\"ek_2\"}", "{\"a\":{\"b\":1,\"b\":2}}", "{\"a\":1} x",
    "{\"a\":1}{}", "[]", "\"ek_1\"", "{\"a\":[1,2}", "{/*c*/\"a\":1}", ""})
  void refusesWhatTheFullParseRefuses(String json) {
    assertThatThrownBy(() -> StrictJson.rootStrings(bytes(json), "apiKey")).isInstanceOf(StrictJson.MalformedException.class);
    assertThatThrownBy(() -> StrictJson.parseObject(bytes(json))).isInstanceOf(StrictJson.MalformedException.class);
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deep = "{\"a\":" + "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH) + "}";
    assertThatThrownBy(() -> StrictJson.rootStrings(bytes(deep), "a")).isInstanceOf(StrictJson.MalformedException.class);
  }
}
