package io.tokengateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged jar run as a real subprocess (failsafe sets {@code gateway.jar}). Its stdout and
 * stderr go to files, not pipes: a pipe read while the JDK drains it at process exit can lose the
 * last lines ("Stream closed"), and the last lines are what shutdown tests look at.
 */
public final class JarProcess implements AutoCloseable {

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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar().toString()));
    command.addAll(List.of(args));
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

  /** Waits (on the test thread) for a stdout line matching {@code test}; null when the process ended or time ran out. */
  public String awaitLine(Predicate<String> test, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      boolean alive = process.isAlive();
      for (String line : stdout()) {
        if (test.test(line)) {
          return line;
        }
      }
      if (!alive) {
        return null;
      }
      Thread.sleep(25);
    }
    return null;
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
