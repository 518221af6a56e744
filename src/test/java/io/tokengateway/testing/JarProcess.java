package io.tokengateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged jar run as a real subprocess (failsafe sets {@code gateway.jar}). Its stdout and
 * stderr go to files, not pipes: a pipe read while the JDK drains it at process exit can lose the
 * last lines ("Stream closed"), and the last lines are what shutdown tests look at.
 */
public final class JarProcess implements AutoCloseable {

  /** The ports from the {@code listening public=… management=…} line (CONTRACT §3). */
  public record Listening(int publicPort, int managementPort) {}

  private static final java.util.regex.Pattern LISTENING =
    java.util.regex.Pattern.compile("listening public=(\\d+) management=(\\d+)");

  private final Process process;
  private final Path stdoutFile;
  private final Path stderrFile;

  private JarProcess(Process process, Path stdoutFile, Path stderrFile) {
    this.process = process;
    this.stdoutFile = stdoutFile;
    this.stderrFile = stderrFile;
  }

  public static Path jar() {
    return Path.of(System.getProperty("gateway.jar", "target/token-gateway.jar"));
  }

  /** Starts {@code java -jar token-gateway.jar args} with {@code env} added to (or, for null values, removed from) this JVM's. */
  public static JarProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString()));
    command.addAll(List.of(args));
    return launch(env, command);
  }

  /** Runs {@code mainClass} (a test class) with the jar and this test run's classes on the class path. */
  public static JarProcess startClass(Class<?> mainClass, String... args) throws IOException {
    String testClasses = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-cp",
      jar() + java.io.File.pathSeparator + testClasses, mainClass.getName()));
    command.addAll(List.of(args));
    return launch(Map.of(), command);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static JarProcess launch(Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_") || name.startsWith("DECART_"));
    env.forEach((name, value) -> {
      if (value == null) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
    Path stdout = Files.createTempFile("gateway-stdout", ".log");
    Path stderr = Files.createTempFile("gateway-stderr", ".log");
    builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    return new JarProcess(builder.start(), stdout, stderr);
  }

  /**
   * Writes {@code dir/name.yaml}: loopback ports 0, the given Decart, HMAC session tokens
   * ({@link TestGateway#HMAC_ENV}), {@code dir/name-tenants.yaml} holding {@code tenantsYaml}, plus any
   * extra top-level YAML lines (flow style, e.g. {@code "stats: {publishIntervalMs: 200}"}).
   */
  public static Path config(Path dir, String name, String decartBaseUrl, String tenantsYaml, String... extra)
      throws IOException {
    Path tenants = dir.resolve(name + "-tenants.yaml");
    Files.writeString(tenants, tenantsYaml);
    List<String> lines = new ArrayList<>(List.of("server: {host: 127.0.0.1, port: 0, shutdownDrainMs: 100}",
      "management: {host: 127.0.0.1, port: 0}", "decart: {baseUrl: \"" + decartBaseUrl + "\"}",
      "jwt: {hmacSecretEnv: " + TestGateway.HMAC_ENV + ", algorithms: [HS256], audience: " + TokenFactory.AUDIENCE + "}",
      "tenants: {file: \"" + tenants + "\", reloadSeconds: 0}"));
    for (String line : extra) {
      String key = line.substring(0, line.indexOf(':') + 1);
      lines.removeIf(existing -> existing.startsWith(key));
      lines.add(line);
    }
    Path conf = dir.resolve(name + ".yaml");
    Files.writeString(conf, String.join("\n", lines) + "\n");
    return conf;
  }

  /** Waits for the listening line; fails with the process's output when it does not come. */
  public Listening awaitListening(long timeoutMs) throws InterruptedException {
    String line = awaitLine(l -> l.contains("listening public="), timeoutMs);
    if (line == null) {
      throw new AssertionError("the gateway did not start:\n" + output());
    }
    java.util.regex.Matcher ports = LISTENING.matcher(line);
    if (!ports.find()) {
      throw new AssertionError("no ports in: " + line);
    }
    return new Listening(Integer.parseInt(ports.group(1)), Integer.parseInt(ports.group(2)));
  }

  /** Waits (on the test thread) for a stdout line matching {@code test}; null when the process ended or time ran out. */
  public String awaitLine(Predicate<String> test, long timeoutMs) {
    AtomicReference<String> found = new AtomicReference<>();
    try {
      Await.eventually().atMost(Duration.ofMillis(timeoutMs)).pollInterval(Duration.ofMillis(25)).until(() -> {
        boolean alive = process.isAlive();  // read first: an exited process has printed all it will
        stdout().stream().filter(test).findFirst().ifPresent(found::set);
        return found.get() != null || !alive;
      });
    } catch (ConditionTimeoutException e) {
      // no such line in time: null
    }
    return found.get();
  }

  public int awaitExit(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeoutMs + " ms; stdout: " + stdout());
    }
    return process.exitValue();
  }

  public void terminate() {
    process.destroy();  // SIGTERM
  }

  public List<String> stdout() {
    return lines(stdoutFile);
  }

  public List<String> stderr() {
    return lines(stderrFile);
  }

  public String output() {
    return String.join("\n", stdout()) + "\n" + String.join("\n", stderr());
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    Files.deleteIfExists(stdoutFile);
    Files.deleteIfExists(stderrFile);
  }

  /** Complete lines only: a line still being written has no newline yet. */
  private static List<String> lines(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
