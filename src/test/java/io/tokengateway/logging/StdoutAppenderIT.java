package io.tokengateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.JarProcess;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code logging/StdoutAppender} on the packaged jar ({@link StdoutProbe}): lines buffered per batch still reach
 * stdout whole, in order and at once when the logger goes idle, from async and synchronous loggers alike.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StdoutAppenderIT {

  @Test
  void aBurstOfManyBuffersArrivesWholeAndInOrder() throws Exception {
    try (JarProcess probe = JarProcess.startClass(StdoutProbe.class, "burst")) {
      assertThat(probe.awaitExit(60_000)).as(probe.output()).isZero();
      List<JsonObject> lines = probe.stdout().stream().map(JsonObject::new)
        .filter(json -> "probe".equals(json.getString("logger"))).toList();
      assertThat(lines).hasSize(StdoutProbe.BURST);
      for (int i = 0; i < lines.size(); i++) {
        JsonObject line = lines.get(i);
        assertThat(line.getInteger("index")).isEqualTo(i);
        assertThat(line.getString("requestId")).isEqualTo("burst-" + i);
        assertThat(line.getString("odd")).as("a lone surrogate becomes '?' in UTF-8")
          .isEqualTo(StdoutProbe.ODD.replace('\uD800', '?'));
        assertThat(line.getValue("totalMs")).isEqualTo(Math.floorDiv(i * 1_001L + 500, 1_000) / 1000.0);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"idle, AsyncLoggerContext", "idle-sync, LoggerContext"})
  void aLineReachesStdoutWhileTheProcessStillRuns(String mode, String context) throws Exception {
    try (JarProcess probe = JarProcess.startClass(StdoutProbe.class, mode)) {
      String line = probe.awaitLine(l -> l.contains("idle-1"), 30_000);
      assertThat(line).as("written before the probe's 60 s idle ends: " + probe.output()).isNotNull();
      assertThat(new JsonObject(line).getString("context")).isEqualTo(context);
      probe.terminate();
    }
  }
}
