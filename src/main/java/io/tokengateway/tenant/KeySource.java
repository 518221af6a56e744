package io.tokengateway.tenant;

import io.tokengateway.config.DecartConfig;

/**
 * Where a Decart account's keys come from (CONTRACT §4, §14): an environment variable holding one key,
 * or a file holding one per line. {@code account} (the variable's name or the file's path) names the
 * account; {@code configKey} is the config path that named it, for messages about it.
 */
public record KeySource(String account, boolean file, String configKey) {

  public static KeySource env(String name, String configKey) {
    return new KeySource(name, false, configKey);
  }

  public static KeySource file(String path, String configKey) {
    return new KeySource(path, true, configKey);
  }

  /** The account of tenants without their own key: {@code decart.apiKeyFile} when set, else {@code decart.apiKeyEnv}. */
  public static KeySource defaultOf(DecartConfig decart) {
    return decart.apiKeyFile() != null ? file(decart.apiKeyFile(), "decart.apiKeyFile")
      : env(decart.apiKeyEnv(), "decart.apiKeyEnv");
  }
}
