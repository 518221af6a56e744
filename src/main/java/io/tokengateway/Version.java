package io.tokengateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, stamped into {@code user-agent: token-gateway/<version>} (CONTRACT §5). */
public final class Version {

  public static final String VALUE = read();

  private Version() {}

  /** Read once at class initialisation, which Main triggers before any event loop runs. */
  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("/token-gateway.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      String version = properties.getProperty("version", "dev");
      return version.startsWith("${") ? "dev" : version;
    } catch (IOException e) {
      return "dev";
    }
  }
}
