package io.tokengateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Loads the classes a single-node start needs ({@value #LIST}, written by bench/startup-classes.sh) on a second
 * thread while the main thread starts the gateway, so reading and defining them overlaps the main thread's work
 * instead of preceding each first use. Load only, never initialize: no static initializer runs here, nothing logs.
 * Measured (bench/README.md "Startup"): class loading was ~40 % of the time to ready; a stale or missing entry costs
 * nothing but the main thread loading that class itself. {@code -Dtokengateway.startup.preload=false} turns it off.
 */
final class StartupClasses {

  static final String LIST = "startup/classes.txt";
  static final String SWITCH = "tokengateway.startup.preload";

  private StartupClasses() {}

  static void preload() {
    if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
      return;
    }
    Thread loader = new Thread(StartupClasses::loadAll, "startup-classes");
    loader.setDaemon(true);
    loader.start();
  }

  private static void loadAll() {
    ClassLoader loader = StartupClasses.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(LIST)) {
      if (in == null) {
        return;
      }
      BufferedReader names = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String name = names.readLine(); name != null; name = names.readLine()) {
        load(name, loader);
      }
    } catch (IOException e) {
      // a list that cannot be read preloads nothing: the main thread loads what it uses itself
    }
  }

  private static void load(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError stale) {
      // not on this classpath (another version of a library): the main thread never asks for it either
    }
  }
}
