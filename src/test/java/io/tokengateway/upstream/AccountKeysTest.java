package io.tokengateway.upstream;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengateway.config.ConfigException;
import io.tokengateway.tenant.KeySource;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CONTRACT §3 key validation and §14 key files, rings and cooldowns, without HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class AccountKeysTest {

  private static final String K1 = "dct_first_key_aaaaaaaa";
  private static final String K2 = "dct_second_key_bbbbbbb";
  private static final KeySource ENV = KeySource.env("DECART_API_KEY", "decart.apiKeyEnv");

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unset||is not set",
    "blank|'  '|is not set",
    "client token|ek_secret_client_token|holds a client token",
    "placeholder|dct_REPLACE_ME|holds a placeholder",
    "placeholder lower case|dct_replace_with_yours|holds a placeholder"})
  void aBadEnvKeyStopsStartupNamingTheKeyNotTheValue(String name, String value, String message, Vertx vertx) {
    Map<String, String> env = value == null ? Map.of() : Map.of("DECART_API_KEY", value);
    Throwable e = failure(AccountKeys.load(vertx, List.of(ENV), env, 60));
    assertThat(e).isInstanceOf(ConfigException.class).hasMessageContaining("decart.apiKeyEnv")
      .hasMessageContaining(message);
    if (value != null && !value.isBlank()) {
      assertThat(e.getMessage()).doesNotContain(value);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "empty file|''|holds no key",
    "only blank lines|'\n  \n'|holds no key",
    "client token on line 2|'dct_ok_key_1\nek_secret_client'|line 2 holds a client token",
    "placeholder|dct_REPLACE_ME|line 1 holds a placeholder",
    "twice the same key|'dct_ok_key_1\ndct_ok_key_1'|lists a key twice"})
  void aBadKeyFileStopsStartupNamingTheKey(String name, String content, String message, Vertx vertx) throws Exception {
    KeySource source = write("keys", content);
    Throwable e = failure(AccountKeys.load(vertx, List.of(source), Map.of(), 60));
    assertThat(e).isInstanceOf(ConfigException.class).hasMessageContaining("tenants.acme.apiKeyFile")
      .hasMessageContaining(message).hasMessageNotContaining("ek_secret");
  }

  @Test
  void aMissingKeyFileStopsStartup(Vertx vertx) {
    KeySource source = KeySource.file(dir.resolve("absent").toString(), "decart.apiKeyFile");
    assertThat(failure(AccountKeys.load(vertx, List.of(source), Map.of(), 60)))
      .isInstanceOf(ConfigException.class).hasMessageContaining("decart.apiKeyFile").hasMessageContaining("cannot read");
  }

  @Test
  void aKeyFileHoldsTheKeysPrimaryFirst(Vertx vertx) throws Exception {
    KeySource source = write("keys", "  " + K1 + "  \n\n" + K2 + "\n");
    AccountKeys keys = await(AccountKeys.load(vertx, List.of(source, ENV), Map.of("DECART_API_KEY", K2), 60));
    assertThat(keys.ring(source.account()).keys()).containsExactly(K1, K2);
    assertThat(keys.primaryKey(source.account())).isEqualTo(K1);
    assertThat(keys.primaryKey("DECART_API_KEY")).isEqualTo(K2);
    assertThat(keys.primaryKey("unknown")).isNull();
    assertThat(keys.health().encode()).contains("\"keys\":2").doesNotContain(K1).doesNotContain(K2);
  }

  @Test
  void aChangedFileIsUsedAndABadOneKeepsTheLastGoodKeys(Vertx vertx) throws Exception {
    KeySource source = write("keys", K1);
    AccountKeys keys = await(AccountKeys.load(vertx, List.of(source), Map.of(), 60));
    Files.writeString(Path.of(source.account()), K2 + "\n" + K1 + "\n");
    await(keys.refresh(vertx));
    assertThat(keys.ring(source.account()).keys()).containsExactly(K2, K1);
    Files.writeString(Path.of(source.account()), "ek_not_an_account_key\n");
    await(keys.refresh(vertx));
    assertThat(keys.ring(source.account()).keys()).as("last good keys").containsExactly(K2, K1);
    Files.delete(Path.of(source.account()));
    await(keys.refresh(vertx));
    assertThat(keys.ring(source.account()).keys()).as("unreadable: last good keys").containsExactly(K2, K1);
  }

  /** The kubelet's layout: key -> ..data/key, ..data -> ..<timestamp>; an update swaps ..data atomically. */
  @Test
  void aSecretVolumeSymlinkSwapIsPickedUp(Vertx vertx) throws Exception {
    Path first = Files.createDirectory(dir.resolve("..2026_11_28_first"));
    Files.writeString(first.resolve("DECART_API_KEY"), K1);
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Files.createSymbolicLink(dir.resolve("DECART_API_KEY"), Path.of("..data", "DECART_API_KEY"));
    KeySource source = KeySource.file(dir.resolve("DECART_API_KEY").toString(), "decart.apiKeyFile");
    AccountKeys keys = await(AccountKeys.load(vertx, List.of(source), Map.of(), 60));
    assertThat(keys.primaryKey(source.account())).isEqualTo(K1);
    swap(K2 + "\n" + K1);
    await(keys.refresh(vertx));
    assertThat(keys.ring(source.account()).keys()).containsExactly(K2, K1);
  }

  /** A reloaded tenants file may name new accounts: they are read before the file applies, all or none. */
  @Test
  void newAccountsOfAReloadedTenantsFileAreAddedAllOrNone(Vertx vertx) throws Exception {
    AccountKeys keys = await(AccountKeys.load(vertx, List.of(ENV), Map.of("DECART_API_KEY", K1, "OTHER", K2), 60));
    KeySource other = KeySource.env("OTHER", "tenants.other.apiKeyEnv");
    KeySource unset = KeySource.env("UNSET", "tenants.broken.apiKeyEnv");
    assertThat(failure(keys.track(vertx, List.of(ENV, other, unset)))).hasMessageContaining("tenants.broken.apiKeyEnv");
    assertThat(keys.primaryKey("OTHER")).as("none added").isNull();
    await(keys.track(vertx, List.of(ENV, other, write("keys", K1))));
    assertThat(keys.primaryKey("OTHER")).isEqualTo(K2);
    assertThat(keys.health().fieldNames()).hasSize(3);
  }

  @Test
  void aRejectedKeyIsSkippedForTheCooldownWhileAnotherExists() {
    AtomicLong now = new AtomicLong(1_000);
    KeyRing ring = new KeyRing("acct", List.of(K1, K2), 60_000, now::get);
    assertThat(ring.next(List.of())).isEqualTo(K1);
    ring.reject(K1, "r1", null);
    assertThat(ring.next(List.of())).as("every request skips it").isEqualTo(K2);
    assertThat(ring.rejected()).isEqualTo(1);
    ring.reject(K2, "r2", null);
    assertThat(ring.next(List.of())).as("all cooling: a first attempt still goes out").isEqualTo(K1);
    assertThat(ring.next(List.of(K1))).as("all rejected").isNull();
    now.addAndGet(60_000);
    assertThat(ring.next(List.of())).isEqualTo(K1);
    assertThat(ring.rejected()).isZero();
    assertThat(ring.rejections()).isEqualTo(2);
  }

  @Test
  void keysAreNamedByIndexAndHashOnly() {
    KeyRing ring = new KeyRing("acct", List.of(K1, K2), 60_000, () -> 0);
    assertThat(ring.name(K2)).matches("#2 \\([0-9a-f]{8}\\)").doesNotContain(K2);
    assertThat(ring.toString()).doesNotContain(K1);
  }

  private KeySource write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return KeySource.file(file.toString(), "tenants.acme.apiKeyFile");
  }

  private void swap(String content) throws Exception {
    Path next = Files.createDirectory(dir.resolve("..2026_11_28_next"));
    Files.writeString(next.resolve("DECART_API_KEY"), content);
    Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), next.getFileName());
    Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }
}
