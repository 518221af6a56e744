package io.tokengateway.config;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONTRACT §3: every file-valued key of the main config is read at load time; a bad one is a ConfigException naming it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConfigFilesTest {

  private static final Map<String, String> ENV = Map.of("HS", "x".repeat(32));
  private static final String JWT = "jwt:\n  hmacSecretEnv: HS\n  algorithms: [HS256]\n  audience: a\n";

  @TempDir
  Path dir;
  private String cert;
  private String key;
  private String missing;
  private String directory;
  private String notPem;

  @BeforeEach
  void files() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    cert = certificate.certificatePath();
    key = certificate.privateKeyPath();
    missing = dir.resolve("no-such.pem").toString();
    directory = Files.createDirectory(dir.resolve("a-directory")).toString();
    notPem = Files.writeString(dir.resolve("garbage.pem"), "not a certificate").toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"server.tls.certFile", "server.tls.keyFile", "cluster.tls.certFile", "cluster.tls.keyFile",
    "cluster.tls.trustFile", "jwt.publicKeyFile", "decart.apiKeyFile"})
  void aMissingFileIsRefusedNamingItsKey(String fileKey, Vertx vertx) throws Exception {
    assertRefused(vertx, fileKey, missing, "no such file");
  }

  @ParameterizedTest
  @ValueSource(strings = {"server.tls.keyFile", "cluster.tls.trustFile", "decart.apiKeyFile"})
  void aDirectoryIsRefusedNamingItsKey(String fileKey, Vertx vertx) throws Exception {
    assertRefused(vertx, fileKey, directory, "cannot read");
  }

  @ParameterizedTest
  @ValueSource(strings = {"server.tls.certFile", "server.tls.keyFile", "cluster.tls.trustFile"})
  void tlsMaterialWithoutAPemBlockIsRefused(String fileKey, Vertx vertx) throws Exception {
    assertRefused(vertx, fileKey, notPem, "no PEM block");
  }

  @Test
  void readableFilesLoad(Vertx vertx) throws Exception {
    Path conf = write(tls("server", null, null) + tls("cluster", null, null));
    GatewayConfig config = await(ConfigLoader.load(vertx, conf.toString(), ENV, UnaryOperator.identity()));
    assertThat(config.server().tls().certFile()).isEqualTo(cert);
    assertThat(config.cluster().tls().trustFile()).isEqualTo(cert);
  }

  private void assertRefused(Vertx vertx, String fileKey, String path, String why) throws Exception {
    Path conf = write(yamlWith(fileKey, path));
    Throwable failure = failure(ConfigLoader.load(vertx, conf.toString(), ENV, UnaryOperator.identity()));
    assertThat(failure).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(fileKey))
      .hasMessageStartingWith(fileKey + ": ").hasMessageContaining(path).hasMessageContaining(why);
    assertThat(failure.getMessage().lines()).hasSize(1);
  }

  /** A valid config whose {@code fileKey} (and nothing else file-valued) points at {@code path}. */
  private String yamlWith(String fileKey, String path) {
    String section = fileKey.substring(0, fileKey.indexOf('.'));
    String leaf = fileKey.substring(fileKey.lastIndexOf('.') + 1);
    return switch (section) {
      case "server", "cluster" -> JWT + tls(section, leaf, path);
      case "jwt" -> "jwt:\n  publicKeyFile: " + path + "\n  audience: a\n";
      default -> JWT + "decart:\n  apiKeyFile: " + path + "\n";
    };
  }

  private String tls(String section, String leaf, String path) {
    String yaml = section + ":\n  tls:\n    certFile: " + ("certFile".equals(leaf) ? path : cert)
      + "\n    keyFile: " + ("keyFile".equals(leaf) ? path : key) + "\n";
    return section.equals("cluster") ? yaml + "    trustFile: " + ("trustFile".equals(leaf) ? path : cert) + "\n" : yaml;
  }

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("gateway-" + System.nanoTime() + ".yaml"),
      yaml.contains("jwt:") ? yaml : JWT + yaml);
  }
}
