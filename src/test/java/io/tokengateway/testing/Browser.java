package io.tokengateway.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * A real headless Chromium driven over WebDriver: Debian's {@code chromium} and {@code chromium-driver}
 * (no driver download: Selenium's manager cannot reach its sources here). On a machine without them the
 * calling test is skipped, saying why in one line.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  private static final AtomicBoolean SKIP_REPORTED = new AtomicBoolean();

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static boolean installed() {
    return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
  }

  /** Skips the calling test, saying why in one line, when Chromium is not installed. */
  public static void assumeInstalled() {
    String reason = "no Chromium here (" + CHROMEDRIVER + ", " + CHROMIUM + "): apt-get install chromium chromium-driver";
    if (!installed() && !SKIP_REPORTED.getAndSet(true)) {
      // Surefire keeps assumption messages in its reports only; this one line reaches the build's console.
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8)
        .println("[WARNING] browser tests skipped: " + reason);
    }
    Assumptions.assumeTrue(installed(), reason);
  }

  /** A fresh browser, or null when Chromium is not installed. */
  public static Browser startIfInstalled() throws IOException {
    return installed() ? start() : null;
  }

  /** Starts a fresh browser with its own empty profile. */
  public static Browser start() throws IOException {
    assumeInstalled();
    Path profile = Files.createTempDirectory("dashboard-chromium");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
      .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
      .usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url, int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    driver.get(url);
  }

  /** Opens {@code url} as a phone of {@code width} CSS pixels shows it (mobile viewport, overlay scrollbars). */
  public void openAsPhone(String url, int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
      Map.of("width", width, "height", height, "deviceScaleFactor", 2, "mobile", true));
    driver.get(url);
  }

  /** Back to the desktop window after {@link #openAsPhone}. */
  public void stopPhoneEmulation() {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** The console's errors since the last call: uncaught exceptions, console.error, failed loads. */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
      .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
      .map(LogEntry::getMessage)
      .toList();
  }

  /** True when the page is wider than the window (the user would have to scroll sideways). */
  public boolean scrollsSideways() {
    return (Boolean) script("const e = document.scrollingElement; return e.scrollWidth > e.clientWidth;");
  }

  /** A full-page PNG (beyond the window's height) for a human to look at. */
  public Path screenshot(Path file) throws IOException {
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
      Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(file.getParent());
    return Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
