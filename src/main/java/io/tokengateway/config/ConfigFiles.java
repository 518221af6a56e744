package io.tokengateway.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every file-valued key of the main config is readable before anything listens (CONTRACT §3): else a
 * {@link ConfigException} naming the key, so startup ends with exit 2 and one line, never a stack trace from
 * deep in TLS or key loading. Read without blocking. {@code tenants.file} is read (and named the same way)
 * by {@code TenantDirectory.load} in the same startup step; dev mode never reads it.
 */
final class ConfigFiles {

  private static final String PEM_BLOCK = "-----BEGIN ";

  /** One file-valued key; {@code pem} = must hold a PEM block (TLS material handed to Netty). */
  private record FileKey(String key, String path, boolean pem) {}

  private ConfigFiles() {}

  static Future<GatewayConfig> check(Vertx vertx, GatewayConfig config) {
    Future<Void> checked = Future.succeededFuture();
    for (FileKey file : fileKeys(config)) {
      checked = checked.compose(v -> read(vertx, file));
    }
    return checked.map(config);
  }

  private static List<FileKey> fileKeys(GatewayConfig config) {
    List<FileKey> files = new ArrayList<>();
    add(files, "server.tls.certFile", config.server().tls().certFile(), true);
    add(files, "server.tls.keyFile", config.server().tls().keyFile(), true);
    add(files, "cluster.tls.certFile", config.cluster().tls().certFile(), true);
    add(files, "cluster.tls.keyFile", config.cluster().tls().keyFile(), true);
    add(files, "cluster.tls.trustFile", config.cluster().tls().trustFile(), true);
    add(files, "jwt.publicKeyFile", config.jwt().publicKeyFile(), false);
    add(files, "decart.apiKeyFile", config.decart().apiKeyFile(), false);
    return files;
  }

  private static void add(List<FileKey> files, String key, String path, boolean pem) {
    if (path != null) {
      files.add(new FileKey(key, path, pem));
    }
  }

  private static Future<Void> read(Vertx vertx, FileKey file) {
    return vertx.fileSystem().readFile(file.path())
      .recover(e -> Future.failedFuture(new ConfigException(file.key(),
        "cannot read " + file.path() + ": " + ConfigLoader.reason(e))))
      .compose(content -> file.pem() && !holdsPem(content)
        ? Future.failedFuture(new ConfigException(file.key(), file.path() + " holds no PEM block"))
        : Future.succeededFuture());
  }

  private static boolean holdsPem(Buffer content) {
    return content.toString(StandardCharsets.US_ASCII).contains(PEM_BLOCK);
  }
}
