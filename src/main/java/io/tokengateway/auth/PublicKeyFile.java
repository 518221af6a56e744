package io.tokengateway.auth;

import io.tokengateway.config.ConfigException;
import io.tokengateway.config.JwtConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code jwt.publicKeyFile} (CONTRACT §4, §14): read without blocking at startup (any fault stops it, exit 2)
 * and again on every reload. A reload reads the path afresh, so a Kubernetes Secret's {@code ..data} symlink
 * swap is seen like an in-place write; an unchanged file costs one read and no parse; a file that cannot be
 * read or parsed keeps the last good key, with one ERROR line per distinct fault.
 */
final class PublicKeyFile {

  static final String KEY = "jwt.publicKeyFile";
  /** A PEM public key is under 2 KiB even at RSA 8192; anything far larger is not one. */
  static final int MAX_BYTES = 64 * 1024;

  private final Logger log = LogManager.getLogger(PublicKeyFile.class);
  private final Vertx vertx;
  private final JwtConfig config;
  private final KeySet initial;
  private Buffer lastRead;
  private String lastFault;

  private PublicKeyFile(Vertx vertx, JwtConfig config, Buffer read, KeySet initial) {
    this.vertx = vertx;
    this.config = config;
    this.lastRead = read;
    this.initial = initial;
  }

  /** The first read: an unreadable or unusable file is a {@link ConfigException} naming the key. */
  static Future<PublicKeyFile> load(Vertx vertx, JwtConfig config) {
    return vertx.fileSystem().readFile(config.publicKeyFile()).transform(read -> {
      try {
        return Future.succeededFuture(new PublicKeyFile(vertx, config, read.result(), parse(vertx, config, read)));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new ConfigException(KEY, e.getMessage()));
      }
    });
  }

  /** The key set of the startup read. */
  KeySet initial() {
    return initial;
  }

  /**
   * A later read: the new key set, or null when the file is unchanged or unusable (then the fault is in
   * {@link #fault()}, logged once). Calls must not overlap.
   */
  Future<KeySet> reload() {
    return vertx.fileSystem().readFile(config.publicKeyFile()).transform(read -> {
      if (read.succeeded() && read.result().equals(lastRead)) {
        return Future.succeededFuture(null);
      }
      try {
        KeySet keys = parse(vertx, config, read);
        lastRead = read.result();
        if (lastFault != null) {
          log.info("{}: {} is usable again", KEY, config.publicKeyFile());
        }
        lastFault = null;
        return Future.succeededFuture(keys);
      } catch (IllegalArgumentException e) {
        if (!e.getMessage().equals(lastFault)) {
          log.error("{}: {}; keeping the last good key", KEY, e.getMessage());
        }
        // Forget the good bytes: the same file restored is then parsed again and clears the fault.
        lastRead = null;
        lastFault = e.getMessage();
        return Future.succeededFuture(null);
      }
    });
  }

  /** Why the latest read was not used; null when it was. */
  String fault() {
    return lastFault;
  }

  private static KeySet parse(Vertx vertx, JwtConfig config, AsyncResult<Buffer> read) {
    String path = config.publicKeyFile();
    if (read.failed()) {
      throw new IllegalArgumentException("cannot read " + path);
    }
    Buffer bytes = read.result();
    if (bytes.length() > MAX_BYTES) {
      throw new IllegalArgumentException(path + " is larger than " + MAX_BYTES + " bytes");
    }
    try {
      return KeySet.fromPem(vertx, VerificationKey.parse(bytes.toString(StandardCharsets.US_ASCII)), config);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + " is not a usable PEM public key: " + e.getMessage());
    }
  }
}
