package io.tokengateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.EventRoute;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.jul.LevelTranslator;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JSON line template ({@code logging/line.json}): CONTRACT §7's fields, valid JSON whatever they hold. */
@Timeout(10)
class LoggingTest {

  private final JsonTemplateLayout layout = JsonTemplateLayout.newBuilder()
    .setConfiguration(new DefaultConfiguration()).setEventTemplateUri("classpath:logging/line.json").build();

  @Test
  void aRequestLineCarriesItsIdsAndFieldsAsTopLevelFields() {
    LogLine line = LogLine.of("request", "r-1", "4bf92f3577b34da6a3ce929d0e0e4736").with("status", 200)
      .with("code", (Object) null).with("upstreamMs", 1.5).with("path", "/v1/\"odd\"\n\u0001path");
    JsonObject json = render("access", Level.INFO, line, null);
    assertThat(json.getString("logger")).isEqualTo("access");
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("message")).isEqualTo("request");
    assertThat(json.getString("requestId")).isEqualTo("r-1");
    assertThat(json.getString("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.getInteger("status")).isEqualTo(200);
    assertThat(json.getValue("code")).isNull();
    assertThat(json.getDouble("upstreamMs")).isEqualTo(1.5);
    assertThat(json.getString("path")).isEqualTo("/v1/\"odd\"\n\u0001path");
    assertThat(json.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(json.fieldNames()).doesNotContain("error", "stackTrace", "fields");
  }

  @Test
  void aLineWithoutATraceparentHasNoTraceId() {
    JsonObject json = render("io.tokengateway.http.IssueTokenHandler", Level.ERROR,
      LogLine.of("unexpected failure", "r-2", null), null);
    assertThat(json.getString("requestId")).isEqualTo("r-2");
    assertThat(json.fieldNames()).doesNotContain("traceId");
  }

  @Test
  void aFailureHasItsTypeAndMessageAndTheStackTraceAsItsOwnField() {
    String rendered = layout.toSerializable(event("io.tokengateway.Main", Level.ERROR,
      new SimpleMessage("startup failed"), new IllegalStateException("boom \"quoted\"")));
    assertThat(rendered.strip().lines()).hasSize(1);
    JsonObject json = new JsonObject(rendered);
    assertThat(json.getString("level")).isEqualTo("ERROR");
    assertThat(json.getString("message")).isEqualTo("startup failed");
    assertThat(json.getJsonObject("error").getString("type")).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.getJsonObject("error").getString("message")).isEqualTo("boom \"quoted\"");
    assertThat(json.getString("stackTrace")).contains("IllegalStateException").contains("LoggingTest");
  }

  @Test
  void julLevelsArriveUnderTheContractsNames() {
    assertThat(LevelTranslator.toLevel(java.util.logging.Level.SEVERE).name()).isEqualTo("ERROR");
    assertThat(LevelTranslator.toLevel(java.util.logging.Level.WARNING).name()).isEqualTo("WARN");
    assertThat(LevelTranslator.toLevel(java.util.logging.Level.FINE).name()).isEqualTo("DEBUG");
  }

  @Test
  void aFullBufferDropsTheLineAndCountsIt() {
    long before = Logging.dropped();
    assertThat(new DroppedLines().getRoute(Thread.currentThread().getId(), Level.INFO)).isEqualTo(EventRoute.DISCARD);
    assertThat(Logging.dropped()).isEqualTo(before + 1);
  }

  private JsonObject render(String logger, Level level, org.apache.logging.log4j.message.Message message,
                            Throwable thrown) {
    return new JsonObject(layout.toSerializable(event(logger, level, message, thrown)));
  }

  private static Log4jLogEvent event(String logger, Level level, org.apache.logging.log4j.message.Message message,
                                     Throwable thrown) {
    return Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level).setMessage(message).setThrown(thrown)
      .setTimeMillis(System.currentTimeMillis()).build();
  }
}
