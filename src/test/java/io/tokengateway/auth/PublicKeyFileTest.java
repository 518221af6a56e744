package io.tokengateway.auth;

import static io.tokengateway.auth.AuthenticatorTest.defaultClaims;
import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.GatewayException;
import io.tokengateway.config.ConfigException;
import io.tokengateway.config.JwtConfig;
import io.tokengateway.testing.TokenFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jwt.publicKeyFile} re-read without restart (CONTRACT §14): a file replaced in place and a Kubernetes
 * Secret's {@code ..data} symlink swap both apply to the next tokens; the old key stops verifying at once; a
 * broken or missing file keeps the last good key; a weak RSA key is refused at startup.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PublicKeyFileTest {

  static final TokenFactory OLD_KEY = TokenFactory.rs256("pem-old");
  static final TokenFactory NEW_KEY = TokenFactory.rs256("pem-new");
  /** Re-read interval for the tests; the gateway uses tenants.reloadSeconds. */
  static final long RELOAD_MS = 50;

  @TempDir
  Path dir;
  private JwtKeys keys;

  @AfterEach
  void stop() {
    if (keys != null) {
      await(keys.close());
    }
  }

  private Authenticator start(Vertx vertx, Path file) {
    JwtConfig config = config(file);
    keys = await(JwtKeys.start(vertx, config, Map.of(), JwtKeys.UNKNOWN_KID_REFETCH_INTERVAL_MS, RELOAD_MS));
    return new Authenticator(config, keys);
  }

  private static JwtConfig config(Path file) {
    return new JwtConfig(null, file.toString(), null, 300, null, null, true, List.of("RS256", "ES256"), 30,
      defaultClaims());
  }

  private static Future<Caller> authenticate(Authenticator authenticator, TokenFactory key) {
    return authenticator.authenticate(List.of("Bearer " + key.mint(TokenFactory.claims("acme", "u1"))));
  }

  private static boolean verifies(Authenticator authenticator, TokenFactory key) {
    try {
      return await(authenticate(authenticator, key)) != null;
    } catch (GatewayException e) {
      return false;
    }
  }

  private static String reasonOf(Future<?> result) {
    return ((GatewayException) failure(result)).reason();
  }

  @Test
  void aFileReplacedOnDiskAppliesToTheNextTokens(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("key.pem"), OLD_KEY.publicKeyPem());
    Authenticator authenticator = start(vertx, file);
    String oldKeyToken = OLD_KEY.mint(TokenFactory.claims("acme", "u1"));
    assertThat(await(authenticator.authenticate(List.of("Bearer " + oldKeyToken))).userId()).isEqualTo("u1");
    Files.writeString(file, NEW_KEY.publicKeyPem());
    Awaitility.await().until(() -> verifies(authenticator, NEW_KEY));
    assertThat(reasonOf(authenticator.authenticate(List.of("Bearer " + oldKeyToken))))
      .as("the old key's token, even one verified (and cached) before").isEqualTo("signature");
  }

  @Test
  void aKubernetesSecretSymlinkSwapAppliesToTheNextTokens(Vertx vertx) throws Exception {
    Path first = Files.createDirectory(dir.resolve("..2026_11_28_10_00_00.1"));
    Files.writeString(first.resolve("key.pem"), OLD_KEY.publicKeyPem());
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("key.pem"), Path.of("..data", "key.pem"));
    Authenticator authenticator = start(vertx, file);
    assertThat(verifies(authenticator, OLD_KEY)).isTrue();
    // What the kubelet does: write a new timestamped directory, point a temporary link at it, rename over ..data.
    Path second = Files.createDirectory(dir.resolve("..2026_11_28_10_05_00.2"));
    Files.writeString(second.resolve("key.pem"), NEW_KEY.publicKeyPem());
    Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
    Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Awaitility.await().until(() -> verifies(authenticator, NEW_KEY));
    assertThat(reasonOf(authenticate(authenticator, OLD_KEY))).isEqualTo("signature");
  }

  @Test
  void aBrokenOrMissingFileKeepsTheLastGoodKey(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("key.pem"), OLD_KEY.publicKeyPem());
    Authenticator authenticator = start(vertx, file);
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    Awaitility.await().until(() -> keys.health().getString("lastError") != null);
    assertThat(keys.health().getString("lastError")).contains("not a usable PEM public key");
    assertThat(verifies(authenticator, OLD_KEY)).isTrue();
    Files.delete(file);
    Awaitility.await().until(() -> keys.health().getString("lastError").contains("cannot read"));
    assertThat(verifies(authenticator, OLD_KEY)).isTrue();
    assertThat(keys.loaded()).isTrue();
    Files.writeString(file, OLD_KEY.publicKeyPem());
    Awaitility.await().until(() -> keys.health().getString("lastError") == null);
    assertThat(verifies(authenticator, OLD_KEY)).isTrue();
  }

  @Test
  void aReloadThatBringsTheSameKeyKeepsTheGeneration(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("key.pem"), OLD_KEY.publicKeyPem());
    start(vertx, file);
    KeySet before = keys.current();
    String refreshedAt = keys.health().getString("lastRefresh");
    Files.writeString(file, "# rotated by the operator\n" + OLD_KEY.publicKeyPem().replace("\n", "\r\n"));
    Awaitility.await().until(() -> !keys.health().getString("lastRefresh").equals(refreshedAt));
    assertThat(keys.current()).isSameAs(before);
  }

  @Test
  void aWeakRsaKeyIsRefusedAtStartup(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("weak.pem"), TokenFactory.rs256("weak", 1024).publicKeyPem());
    Throwable e = failure(JwtKeys.start(vertx, config(file), Map.of(), 0));
    assertThat(e).isInstanceOf(ConfigException.class).hasMessageContaining("1024 bits").hasMessageContaining("2048");
    assertThat(((ConfigException) e).key()).isEqualTo("jwt.publicKeyFile");
  }

  @Test
  void aWeakRsaKeyOnReloadKeepsTheLastGoodKey(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("key.pem"), OLD_KEY.publicKeyPem());
    Authenticator authenticator = start(vertx, file);
    Files.writeString(file, TokenFactory.rs256("weak", 1024).publicKeyPem());
    Awaitility.await().until(() -> keys.health().getString("lastError") != null);
    assertThat(keys.health().getString("lastError")).contains("1024 bits");
    assertThat(verifies(authenticator, OLD_KEY)).isTrue();
  }
}
