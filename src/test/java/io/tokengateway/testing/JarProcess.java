package io.tokengateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The packaged jar run as a real subprocess (failsafe sets {@code gateway.jar}); output captured line by line. */
public final class JarProcess implements AutoCloseable {

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private JarProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), stdout);
    pump(process.getErrorStream(), stderr);
  }

  public static Path jar() {
    return Path.of(System.getProperty("gateway.jar", "target/token-gateway.jar"));
  }

  /** Starts {@code java -jar token-gateway.jar args} with {@code env} added to (or, for null values, removed from) this JVM's. */
  public static JarProcess start(Map<String, String> env, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar().toString()));
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
    return new JarProcess(builder.start());
  }

  /** Waits (on the test thread) for a stdout line matching {@code test}; null when the process ended or time ran out. */
  public String awaitLine(Predicate<String> test, long timeoutMs) throws InterruptedException, IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      for (String line : stdout) {
        if (test.test(line)) {
          return line;
        }
      }
      if (!process.isAlive() && process.getInputStream().available() == 0) {
        return null;
      }
      Thread.sleep(25);
    }
    return null;
  }

  public int awaitExit(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeoutMs + " ms; stdout: " + stdout);
    }
    return process.exitValue();
  }

  public void terminate() {
    process.destroy();  // SIGTERM
  }

  public List<String> stdout() {
    return stdout;
  }

  public List<String> stderr() {
    return stderr;
  }

  public String output() {
    return String.join("\n", stdout) + "\n" + String.join("\n", stderr);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static void pump(java.io.InputStream in, List<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    thread.setDaemon(true);
    thread.start();
  }
}
