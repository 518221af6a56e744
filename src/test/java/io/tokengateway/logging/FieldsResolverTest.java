package io.tokengateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code {"$resolver": "fields"}} against Log4j2's own {@code {"$resolver": "map", "flatten": true}} on the same
 * template ({@code logging/line.json}) and events: the same text, character for character, whatever the fields hold.
 */
@Timeout(30)
class FieldsResolverTest {

  /** Small, so that the truncation of long strings is covered too. */
  private static final int MAX_STRING_LENGTH = 64;
  private static final String OURS = "{\"$resolver\": \"fields\"}";
  private static final String LOG4J = "{\"$resolver\": \"map\", \"flatten\": true}";
  private static final List<String> ODD_STRINGS = List.of("", "plain", "quote\"inside", "back\\slash", "a/b</script>",
    "\n\r\t\b\f", "\u0000\u0001\u001f", "\u007f", "é ü ß ÿ", "日本語", "emoji 😀", "lone high \uD800", "\uDC00 lone low",
    "\uDC00\uD800 reversed pair", "\u2028\u2029", "x".repeat(MAX_STRING_LENGTH),
    "x".repeat(MAX_STRING_LENGTH + 1), "\"".repeat(MAX_STRING_LENGTH + 5), "日".repeat(MAX_STRING_LENGTH + 5));

  private final JsonTemplateLayout ours = layout(template());
  private final JsonTemplateLayout log4j = layout(template().replace(OURS, LOG4J));

  @Test
  void everyOddStringAsAValueOrAKeyIsWrittenAsLog4j2WritesIt() {
    for (String odd : ODD_STRINGS) {
      assertSameText(LogLine.of("request", "r-1", null).with("value", odd));
      assertSameText(LogLine.of("request", "r-1", null).with(odd.isEmpty() ? "empty" : odd, "value"));
    }
  }

  @Test
  void randomStringsAreWrittenAsLog4j2WritesThem() {
    Random random = new Random(17);
    char[] alphabet = "aZ09 -_.:/\"\\\u0000\n\t\u001f\u007f\u00e9\u00ff\u0100\u65e5\ud800\udc00\uffff".toCharArray();
    for (int i = 0; i < 2_000; i++) {
      char[] chars = new char[random.nextInt(MAX_STRING_LENGTH + 8)];
      for (int c = 0; c < chars.length; c++) {
        chars[c] = alphabet[random.nextInt(alphabet.length)];
      }
      assertSameText(LogLine.of("request", 2).with("k" + i, new String(chars)).with("path", new String(chars, 0,
        chars.length / 2)));
    }
  }

  @Test
  void otherValuesAndMessagesAreWrittenAsLog4j2WritesThem() {
    assertSameText(LogLine.of("request", "r-1", "4bf92f3577b34da6a3ce929d0e0e4736").with("status", 200)
      .with("code", (Object) null).with("attempts", 3L).with("flag", true).with("ratio", 0.25)
      .with("list", List.of("a", 1)).with("big", Integer.MIN_VALUE));
    assertSameText(LogLine.of("no fields at all"));
    assertSameText(new StringMapMessage().with("event", "admin").with("reason", "a \"quoted\" reason"));
    assertSameText(new SimpleMessage("not a map message"));
  }

  @Test
  void theFirstFieldOfALineHasNoSeparatorBeforeIt() {
    String template = "{\"fields\": " + OURS + "}";
    Log4jLogEvent event = event(LogLine.of("request", "r-1", null).with("status", 200));
    String rendered = layout(template).toSerializable(event);
    assertThat(rendered).isEqualTo(layout(template.replace(OURS, LOG4J)).toSerializable(event))
      .isEqualTo("{\"requestId\":\"r-1\",\"status\":200}" + System.lineSeparator());
  }

  @Test
  void durationsAreJsonNumbersWithThreeDecimals() {
    String rendered = ours.toSerializable(event(LogLine.of("request", "r-1", null)
      .with("upstreamMs", Millis.ofNanos(0)).with("totalMs", Millis.ofNanos(12_345_678))));
    assertThat(rendered).contains("\"totalMs\":12.346,").contains("\"upstreamMs\":0.000}");
    JsonObject json = new JsonObject(rendered);
    assertThat(json.getValue("totalMs")).isEqualTo(12.346);
    assertThat(json.getValue("upstreamMs")).isEqualTo(0.0);
  }

  @Test
  void theBytesWrittenAreValidJsonHoldingEveryValueAsItWas() {
    LogLine line = LogLine.of("request", ODD_STRINGS.size() + 2, "r-1", null);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < ODD_STRINGS.size(); i++) {
      keys.add("odd" + (char) ('a' + i));
      line.with(keys.get(i), ODD_STRINGS.get(i));
    }
    JsonObject json = new JsonObject(Buffer.buffer(ours.toByteArray(event(line))));
    for (int i = 0; i < ODD_STRINGS.size(); i++) {
      String odd = ODD_STRINGS.get(i);
      String expected = odd.length() > MAX_STRING_LENGTH ? odd.substring(0, MAX_STRING_LENGTH) + "…" : odd;
      // UTF-8 has no lone surrogate: each becomes '?', in Log4j2's encoder as in String.getBytes.
      assertThat(json.getString(keys.get(i))).as(odd).isEqualTo(new String(expected.getBytes(StandardCharsets.UTF_8),
        StandardCharsets.UTF_8));
    }
  }

  private void assertSameText(Message message) {
    Log4jLogEvent event = event(message);
    String rendered = ours.toSerializable(event);
    assertThat(rendered).isEqualTo(log4j.toSerializable(event));
    assertThat(new JsonObject(rendered).getString("message")).isEqualTo(message.getFormattedMessage());
  }

  private static JsonTemplateLayout layout(String template) {
    return JsonTemplateLayout.newBuilder().setConfiguration(new DefaultConfiguration()).setEventTemplate(template)
      .setMaxStringLength(MAX_STRING_LENGTH).build();
  }

  private static String template() {
    try (InputStream in = FieldsResolverTest.class.getResourceAsStream("/logging/line.json")) {
      String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(template).contains(OURS);
      return template;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Log4jLogEvent event(Message message) {
    return Log4jLogEvent.newBuilder().setLoggerName("access").setLevel(Level.INFO).setMessage(message)
      .setTimeMillis(1_764_000_000_123L).build();
  }
}
