package io.tokengateway.tenant;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.ConfigLoader;
import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tenants file's bytes, read without blocking, and their SHA-256: a reload compares the digest before
 * parsing, so an unchanged file costs one read and one hash (CONTRACT §4). The YAML is parsed from these very
 * bytes (vertx-config's processor, off the event loop), never from a second read.
 */
final class TenantsSource {

  private static final String KEY = "tenants.file";
  private static final YamlProcessor YAML = new YamlProcessor();

  /** What one read saw. */
  record Read(String path, Buffer bytes, String digest) {
    Future<JsonObject> yaml(Vertx vertx) {
      return YAML.process(vertx, new JsonObject(), bytes)
        .recover(e -> Future.failedFuture(new ConfigException(KEY, "cannot parse " + path + ": " + ConfigLoader.reason(e))));
    }
  }

  private TenantsSource() {}

  static Future<Read> read(Vertx vertx, String path) {
    return vertx.fileSystem().readFile(path)
      .recover(e -> Future.failedFuture(new ConfigException(KEY, "cannot read " + path + ": " + ConfigLoader.reason(e))))
      .map(bytes -> new Read(path, bytes, sha256(bytes)));
  }

  private static String sha256(Buffer bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

}
