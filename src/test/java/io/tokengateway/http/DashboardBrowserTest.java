package io.tokengateway.http;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokengateway.testing.Browser;
import io.tokengateway.testing.CuttableProxy;
import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * CONTRACT §15 in a real headless Chromium against a real gateway: the page loads without console errors,
 * a burst of issuance shows within 2 s, it lays out at 1280×800 and at 390 px, says when the stream drops
 * and comes back, stays readable with 200 tenants, and blocks from the page with an admin token (§13).
 * With admin authentication on, the page calls no admin path before it has a token, and a wrong token costs
 * one 401, not one per poll. Screenshots go to {@code target/dashboard-*.png}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class DashboardBrowserTest {

  static final String ADMIN_ENV = "TEST_ADMIN_TOKENS";
  static final String ADMIN_TOKEN = "admin-token-for-the-dashboard-test-0123456789";
  /** Longer than the page's poll interval (5 s): what the page did not repeat by then, it does not repeat. */
  static final Duration PAST_A_POLL = Duration.ofSeconds(7);

  private static Browser browser;
  private Vertx vertx;
  private FakeDecart decart;
  private TestGateway gateway;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = Browser.startIfInstalled();
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void startDecart(Vertx vertx) {
    Browser.assumeInstalled();  // skipped per test, so the reason shows with each one
    this.vertx = vertx;
    decart = await(FakeDecart.start(vertx));
  }

  @AfterEach
  void stop() {
    if (browser == null) {
      return;
    }
    browser.stopPhoneEmulation();
    browser.driver().get("about:blank");  // closes the page's stream before the gateway goes
    browser.consoleErrors();
    if (gateway != null) {
      gateway.close();
    }
    await(decart.close());
  }

  private TestGateway startGateway(JsonObject tenants, Map<String, String> env, JsonObject management) {
    JsonObject config = TestGateway.config(decart.baseUrl())
      .put("stats", new JsonObject().put("publishIntervalMs", 100));
    config.getJsonObject("management").mergeIn(management);
    gateway = TestGateway.start(vertx, config, tenants, env);
    return gateway;
  }

  private String dashboardUrl() {
    return "http://127.0.0.1:" + gateway.managementPort() + "/";
  }

  private WebElement byId(String id) {
    return browser.driver().findElement(By.id(id));
  }

  private void awaitLive() {
    await().atMost(Duration.ofSeconds(10)).until(() -> byId("stream-state").getText().equals("live"));
  }

  /**
   * Console errors since the last call. None is tolerated: the page asks /dashboard/settings.json which admin
   * paths exist and whether they need a token, so it never provokes a 404 or a 401 it could have avoided.
   */
  private List<String> unexpectedConsoleErrors() {
    return browser.consoleErrors();
  }

  /** The admin paths the page has fetched so far, from the browser's own record of its requests. */
  @SuppressWarnings("unchecked")
  private List<String> adminRequests() {
    return (List<String>) browser.script("return performance.getEntriesByType('resource')"
      + ".map(e => new URL(e.name).pathname).filter(p => p.startsWith('/admin/'));");
  }

  /** The tenants table's cells, read in one go (the page redraws it several times a second). */
  @SuppressWarnings("unchecked")
  private List<List<String>> tenantTable() {
    return (List<List<String>>) browser.script(
      "return Array.from(document.querySelectorAll('#tenant-rows tr'), tr => Array.from(tr.cells, td => td.textContent));");
  }

  private void burst(String tenant, int requests) {
    for (int i = 0; i < requests; i++) {
      assertThat(gateway.issue(token(tenant, "burst-user-" + i), "{}").statusCode()).isEqualTo(200);
    }
  }

  /** Pixels of the chart's canvas in the "issued" colour (#1f8a4c), give or take antialiasing. */
  private long issuedPixels() {
    return (Long) browser.script("""
      const c = document.querySelector('#chart canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i] - 0x1f) < 24 && Math.abs(d[i + 1] - 0x8a) < 24 && Math.abs(d[i + 2] - 0x4c) < 24 && d[i + 3] > 200) n++;
      }
      return n;""");
  }

  @Test
  void aBurstShowsInTheChartAndCountersWithinTwoSecondsWithoutConsoleErrors() throws Exception {
    startGateway(TestGateway.unlimitedTenants(), TestGateway.env(), new JsonObject());
    browser.open(dashboardUrl(), 1280, 800);
    awaitLive();
    assertThat(byId("chart-empty").isDisplayed()).as("says there is no traffic yet").isTrue();
    assertThat(byId("circuit").getText()).isEqualTo("CLOSED");
    long before = issuedPixels();

    burst("globex", 25);

    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
      .until(() -> byId("window-issued").getText().equals("25"));
    await().atMost(Duration.ofSeconds(2)).until(() -> issuedPixels() > before + 20);
    assertThat(byId("rate-issued").getText()).isNotEqualTo("0");
    assertThat(tenantTable().get(0).get(0)).isEqualTo("globex");
    assertThat(byId("chart-empty").isDisplayed()).isFalse();
    assertThat(browser.scrollsSideways()).isFalse();
    browser.screenshot(Path.of("target", "dashboard-1280x800.png"));
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }

  @Test
  void aPhoneWidthLaysOutWithoutHorizontalScrolling() throws Exception {
    startGateway(TestGateway.unlimitedTenants(), TestGateway.env(), new JsonObject());
    browser.openAsPhone(dashboardUrl(), 390, 844);
    awaitLive();
    burst("acme", 5);
    await().atMost(Duration.ofSeconds(2)).until(() -> byId("window-issued").getText().equals("5"));
    assertThat(browser.scrollsSideways()).as("page wider than 390 px").isFalse();
    assertThat((Long) browser.script("return document.documentElement.clientWidth;")).isEqualTo(390L);
    browser.screenshot(Path.of("target", "dashboard-390.png"));
    assertThat(unexpectedConsoleErrors()).isEmpty();
    browser.stopPhoneEmulation();
  }

  @Test
  void aDroppedStreamIsReportedAndTheDashboardReconnects() throws Exception {
    startGateway(TestGateway.unlimitedTenants(), TestGateway.env(), new JsonObject());
    try (CuttableProxy path = CuttableProxy.start(vertx, gateway.managementPort())) {
      browser.open("http://127.0.0.1:" + path.port() + "/", 1280, 800);
      awaitLive();
      path.cut();
      await().atMost(Duration.ofSeconds(5)).until(() -> byId("stream-state").getText().equals("reconnecting…"));
      assertThat(byId("notice").getText()).contains("Live data paused").contains("reconnecting in");
      path.restore();
      // Backoff doubles from 1 s, with jitter: a few attempts may have failed while the path was cut.
      await().atMost(Duration.ofSeconds(40)).until(() -> byId("stream-state").getText().equals("live"));
      assertThat(byId("notice").isDisplayed()).isFalse();
      burst("globex", 3);
      await().atMost(Duration.ofSeconds(2)).until(() -> byId("window-issued").getText().equals("3"));
    }
    browser.consoleErrors();  // the browser reports the refused reconnects: expected here
  }

  @Test
  void twoHundredTenantsShowTheBusiestFirstAndTheRestSummed() throws Exception {
    JsonObject tenants = new JsonObject();
    for (int i = 0; i < 200; i++) {
      tenants.put(String.format("tenant-%03d", i), new JsonObject());
    }
    startGateway(new JsonObject().put("tenants", tenants).put("defaults", TestGateway.unlimitedTenants()
      .getJsonObject("defaults")), TestGateway.env(), new JsonObject());
    browser.open(dashboardUrl(), 1280, 800);
    awaitLive();
    for (int i = 0; i < 30; i++) {
      burst(String.format("tenant-%03d", i), i == 7 ? 12 : 1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> byId("window-issued").getText().equals("41"));
    List<List<String>> rows = tenantTable();
    assertThat(rows).hasSize(21);
    assertThat(rows.get(0).get(0)).isEqualTo("tenant-007");
    assertThat(rows.get(0).get(4)).as("its total").isEqualTo("12");
    assertThat(rows.get(20).get(0)).isEqualTo("10 other tenants");
    assertThat(rows.get(20).get(4)).as("the others' totals summed").isEqualTo("10");
    assertThat(browser.scrollsSideways()).isFalse();
    browser.screenshot(Path.of("target", "dashboard-200-tenants.png"));
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }

  @Test
  void sessionLeasesAndAccountsShowAgainstTheirCaps() throws Exception {
    JsonObject tenants = TestGateway.unlimitedTenants();
    tenants.getJsonObject("tenants").getJsonObject("globex").put("sessions", new JsonObject().put("maxConcurrent", 3));
    startGateway(tenants, TestGateway.env(), new JsonObject());
    browser.open(dashboardUrl(), 1280, 800);
    awaitLive();
    burst("globex", 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> byId("session-rows").getText().contains("globex")
      && byId("session-rows").getText().contains("2 / 3"));
    assertThat(byId("account-rows").getText()).contains("DECART_API_KEY_GLOBEX").doesNotContain(TestGateway.GLOBEX_KEY);
    assertThat(browser.driver().getPageSource()).doesNotContain(TestGateway.GLOBEX_KEY);
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }

  private Map<String, String> adminEnv() {
    Map<String, String> env = TestGateway.env();
    env.put(ADMIN_ENV, ADMIN_TOKEN);
    return env;
  }

  private void pasteToken(String value) {
    byId("admin-token").sendKeys(value);
    byId("token-form").findElement(By.cssSelector("button[type=submit]")).click();
  }

  private void submitBlock(String tenant, String reason) {
    byId("block-tenant").sendKeys(tenant);
    byId("block-reason").sendKeys(reason);
    byId("block-form").findElement(By.cssSelector("button[type=submit]")).click();
  }

  @Test
  void aBlockMadeFromThePageIsInForceAndListed() throws Exception {
    startGateway(TestGateway.unlimitedTenants(), adminEnv(), new JsonObject().put("adminTokenEnv", ADMIN_ENV));
    browser.open(dashboardUrl(), 1280, 800);
    await().atMost(Duration.ofSeconds(10)).until(() -> byId("stream-state").getText().equals("admin token needed"));
    assertThat(byId("notice").getText()).contains("requires an admin token");
    assertThat(byId("blocks-msg").getText()).contains("Admin token needed");
    await().during(PAST_A_POLL).atMost(PAST_A_POLL.plusSeconds(5)).until(() -> byId("health").getText().contains("CLOSED"));
    assertThat(adminRequests()).as("no admin path before a token").isEmpty();
    assertThat(unexpectedConsoleErrors()).isEmpty();
    browser.screenshot(Path.of("target", "dashboard-token-needed.png"));
    pasteToken(ADMIN_TOKEN);
    awaitLive();
    assertThat(byId("admin-token").getAttribute("value")).as("the token is not left on screen").isEmpty();
    submitBlock("globex", "abuse report 42");
    await().atMost(Duration.ofSeconds(5)).until(() -> byId("block-result").getText().startsWith("Blocked tenant globex"));
    await().atMost(Duration.ofSeconds(10)).until(() -> byId("block-rows").getText().contains("abuse report 42"));
    await().atMost(Duration.ofSeconds(1)).until(() -> gateway.issue(token("globex", "u1"), "{}").statusCode() == 403);
    assertThat(gateway.issue(token("globex", "u1"), "{}").bodyAsJsonObject().getString("code")).isEqualTo("blocked");
    assertThat(browser.driver().getPageSource()).doesNotContain(ADMIN_TOKEN);

    await().ignoreExceptions().until(() -> {  // the table is redrawn on every refresh: retry a stale click
      byId("block-rows").findElement(By.tagName("button")).click();
      return true;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> byId("block-result").getText().startsWith("Unblocked tenant globex"));
    await().atMost(Duration.ofSeconds(2)).until(() -> gateway.issue(token("globex", "u1"), "{}").statusCode() == 200);
    assertThat(byId("block-rows").getText()).doesNotContain("abuse report 42");
    browser.screenshot(Path.of("target", "dashboard-admin.png"));

    byId("token-forget").click();
    await().atMost(Duration.ofSeconds(2)).until(() -> byId("stream-state").getText().equals("admin token needed"));
    assertThat(byId("notice").getText()).contains("requires an admin token");
    int requestsWhenForgotten = adminRequests().size();
    await().during(PAST_A_POLL).atMost(PAST_A_POLL.plusSeconds(5)).until(() -> adminRequests().size() == requestsWhenForgotten);
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }

  @Test
  void withoutAdminAuthenticationThePageReadsAndSaysWritesAreDisabled() throws Exception {
    startGateway(TestGateway.unlimitedTenants(), TestGateway.env(), new JsonObject());
    browser.open(dashboardUrl(), 1280, 800);
    awaitLive();
    await().atMost(Duration.ofSeconds(10)).until(() -> byId("blocks-msg").getText().equals("No block is in force."));
    if (gateway.get(gateway.managementPort(), "/admin/sessions", MultiMap.caseInsensitiveMultiMap()).statusCode() == 404) {
      // Until the sessions branch lands: said in the panel, and never asked (a 404 would be a console error).
      assertThat(byId("sessions-msg").getText()).contains("does not serve /admin/sessions");
      assertThat(adminRequests()).doesNotContain("/admin/sessions");
    }
    submitBlock("globex", "abuse report 43");
    await().atMost(Duration.ofSeconds(5)).until(() -> byId("block-result").getText().contains("Admin writes are disabled"));
    assertThat(adminRequests()).as("the write was not sent: it could only be refused").doesNotContain("/admin/blocks/globex");
    assertThat(gateway.issue(token("globex", "u1"), "{}").statusCode()).isEqualTo(200);
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }

  @Test
  void aWrongAdminTokenGetsAClearMessage() throws Exception {
    startGateway(TestGateway.unlimitedTenants(), adminEnv(), new JsonObject().put("adminTokenEnv", ADMIN_ENV));
    browser.open(dashboardUrl(), 1280, 800);
    await().atMost(Duration.ofSeconds(10)).until(() -> byId("notice").getText().contains("requires an admin token"));
    assertThat(unexpectedConsoleErrors()).as("no admin call without a token").isEmpty();
    pasteToken("not-the-admin-token-but-long-enough-0123456789");
    await().atMost(Duration.ofSeconds(5)).until(() -> byId("notice").getText().contains("admin token was refused"));
    assertThat(byId("stream-state").getText()).isEqualTo("admin token needed");
    assertThat(browser.driver().getPageSource()).doesNotContain("not-the-admin-token");
    // The one refusal is unavoidable (the browser reports it); the page must not ask again with the same token.
    List<String> errors = new ArrayList<>();
    await().during(PAST_A_POLL).atMost(PAST_A_POLL.plusSeconds(5)).until(() -> {
      errors.addAll(browser.consoleErrors());
      return errors.size() <= 1;
    });
    assertThat(errors).singleElement().asString().contains("/admin/").contains("401");
    assertThat(adminRequests()).hasSize(1);
    submitBlock("globex", "abuse report 44");
    await().atMost(Duration.ofSeconds(5)).until(() -> byId("block-result").getText().contains("paste a valid admin token"));
    assertThat(adminRequests()).as("no write with a refused token").hasSize(1);
    browser.screenshot(Path.of("target", "dashboard-token-refused.png"));

    pasteToken(ADMIN_TOKEN);
    awaitLive();
    assertThat(byId("notice").isDisplayed()).isFalse();
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }
}
