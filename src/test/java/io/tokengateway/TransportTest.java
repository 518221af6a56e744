package io.tokengateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests' Vert.x runs on the transport the jar ships ({@link Main#TRANSPORT_PROPERTY}): native epoll on Linux
 * x86_64 and aarch64 (pom.xml's surefire {@code vertx.parameter.filename}), so every test on port 0 exercises it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TransportTest {

  @Test
  void testsRunOnTheShippedTransport(Vertx vertx) {
    String arch = System.getProperty("os.arch");
    boolean shipped = System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("aarch64"));
    assertThat(vertx.isNativeTransportEnabled()).as(String.valueOf(vertx.unavailableNativeTransportCause()))
      .isEqualTo(shipped);
  }
}
