package io.tokengateway.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Reads one YAML file as JSON without blocking (vertx-config): the main config, and the tenants file on each reload. */
public final class YamlFile {

  private YamlFile() {}

  /** {@code key} names the file in the {@link ConfigException} when it cannot be read or parsed. */
  public static Future<JsonObject> read(Vertx vertx, String path, String key) {
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("yaml")
      .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
      new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(-1).addStore(store));
    return retriever.getConfig()
      .recover(e -> Future.failedFuture(new ConfigException(key, "cannot read " + path + ": " + reason(e))))
      .eventually(retriever::close);
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
