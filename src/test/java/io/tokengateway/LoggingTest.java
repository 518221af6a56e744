package io.tokengateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Log lines are valid JSON whatever the message or fields hold. */
@Timeout(10)
class LoggingTest {

  @Test
  void aStructuredRecordIsOneJsonObjectWithItsFields() {
    LogRecord record = new LogRecord(Level.INFO, "request");
    record.setLoggerName("access");
    record.setParameters(new Object[] {new JsonObject().put("requestId", "r-1").put("status", 200)
      .put("code", null).put("upstreamMs", 1.5).put("path", "/v1/\"odd\"\n\u0001path")});
    JsonObject line = new JsonObject(Logging.render(record, Logging.Format.JSON));
    assertThat(line.getString("logger")).isEqualTo("access");
    assertThat(line.getString("message")).isEqualTo("request");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getValue("code")).isNull();
    assertThat(line.getDouble("upstreamMs")).isEqualTo(1.5);
    assertThat(line.getString("path")).isEqualTo("/v1/\"odd\"\n\u0001path");
    assertThat(line.getString("time")).isNotBlank();
  }

  @Test
  void aPlainRecordWithAFailureKeepsItsTraceInOneField() {
    LogRecord record = new LogRecord(Level.SEVERE, "failed for {0}");
    record.setLoggerName("io.tokengateway.Main");
    record.setParameters(new Object[] {"tenant \"x\""});
    record.setThrown(new IllegalStateException("boom"));
    String rendered = Logging.render(record, Logging.Format.JSON);
    assertThat(rendered.lines()).hasSize(1);
    JsonObject line = new JsonObject(rendered);
    assertThat(line.getString("message")).isEqualTo("failed for tenant \"x\"");
    assertThat(line.getString("logger")).isEqualTo("Main");
    assertThat(line.getString("error")).contains("IllegalStateException: boom");
  }
}
