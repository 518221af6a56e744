package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT §15 without a browser: the page and every asset it names come from the gateway itself (no other
 * host: it must work air-gapped), with a strict Content-Security-Policy, only on the management port.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DashboardAssetsTest {

  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    decart = await(FakeDecart.start(vertx));
    gateway = TestGateway.start(vertx, decart);
  }

  @AfterEach
  void stop() {
    gateway.close();
    await(decart.close());
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return gateway.get(port, path, MultiMap.caseInsensitiveMultiMap());
  }

  @Test
  void thePageAndEveryAssetItNamesAreServedByTheGateway() {
    HttpResponse<Buffer> page = get(gateway.managementPort(), "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.getHeader("content-security-policy")).contains("default-src 'self'").contains("script-src 'self'");
    assertThat(page.getHeader("cache-control")).isEqualTo("no-cache");
    List<String> assets = new ArrayList<>();
    Matcher matcher = ASSET.matcher(page.bodyAsString());
    while (matcher.find()) {
      assets.add(matcher.group(1));
    }
    assertThat(assets).contains("webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "dashboard/dashboard.js");
    for (String asset : assets) {
      if (asset.startsWith("data:")) {
        continue;
      }
      assertThat(asset).as("relative to the gateway, never another host").doesNotContain("//").doesNotStartWith("/");
      assertThat(get(gateway.managementPort(), "/" + asset).statusCode()).as(asset).isEqualTo(200);
    }
  }

  @Test
  void theScriptsUseNoOtherHost() {
    for (String script : List.of("admin-api.js", "history.js", "chart.js", "panels.js", "dashboard.js")) {
      HttpResponse<Buffer> response = get(gateway.managementPort(), "/dashboard/" + script);
      assertThat(response.statusCode()).as(script).isEqualTo(200);
      assertThat(response.getHeader("content-type")).startsWith("text/javascript");
      assertThat(response.bodyAsString()).as(script).doesNotContain("http://").doesNotContain("https://")
        .doesNotContain("innerHTML").doesNotContain("EventSource(");
    }
  }

  @Test
  void theSettingsSayWhetherAdminAuthenticationIsOnAndWhichAdminPathsExist() {
    HttpResponse<Buffer> settings = get(gateway.managementPort(), "/dashboard/settings.json");
    assertThat(settings.statusCode()).isEqualTo(200);
    assertThat(settings.getHeader("content-type")).startsWith("application/json");
    assertThat(settings.getHeader("cache-control")).isEqualTo("no-store");
    JsonObject body = settings.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("adminAuth", "sessions");
    assertThat(body.getBoolean("adminAuth")).as("management.adminTokenEnv is not set here").isFalse();
    assertThat(body.getBoolean("sessions")).as("true exactly when /admin/sessions is served")
      .isEqualTo(get(gateway.managementPort(), "/admin/sessions").statusCode() != 404);
  }

  @Test
  void theDashboardIsNotOnThePublicPort() {
    for (String path : List.of("/", "/dashboard/dashboard.js", "/dashboard/settings.json", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "/openapi.yaml")) {
      assertThat(get(gateway.port(), path).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void nothingOutsideTheAssetFoldersIsServed() {
    for (String path : List.of("/dashboard/../token-gateway.properties", "/webjars/../../io/tokengateway/Main.class",
        "/dashboard/", "/webjars/uplot/1.6.30/")) {
      assertThat(get(gateway.managementPort(), path).statusCode()).as(path).isIn(403, 404);
    }
  }
}
