package io.tokengateway.config;

/** A bad configuration value: names the key path, never the value of a secret (CONTRACT §3). */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message, null, false, false);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
