package io.tokengateway.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokengateway.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tenants file read from disk without blocking, and reloaded: a bad file keeps the last good one (CONTRACT §4). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TenantDirectoryLoadTest {

  private static final String CONTRACT_YAML = """
    unknownTenants: reject
    defaults:
      enabled: true
      apiKeyEnv: null
      defaultExpiresIn: 60
      maxExpiresIn: 300
      allowedModels: []
      allowedOrigins: []
      maxSessionDuration: 0
      rateLimit:
        perSecond: 50
        burst: 100
        perUserPerMinute: 30
    tenants:
      acme:
        apiKeyEnv: DECART_API_KEY_ACME
        allowedModels: [lucy-pro-v2v, mirage]
        allowedOrigins: [https://app.acme.example]
      globex: {}
    """;

  @TempDir
  Path dir;

  @Test
  void loadsTheContractExample(Vertx vertx) throws IOException {
    TenantDirectory directory = load(vertx, write(CONTRACT_YAML));
    assertThat(directory.size()).isEqualTo(2);
    assertThat(directory.resolve("acme").account()).isEqualTo("DECART_API_KEY_ACME");
    assertThat(directory.resolve("acme").allowedModels()).containsExactly("lucy-pro-v2v", "mirage");
    assertThat(directory.resolve("globex").account()).isEqualTo("DECART_API_KEY");
    assertThat(directory.resolve("globex").rateLimit()).isEqualTo(new RateLimit(50, 100, 30));
  }

  @Test
  void missingFileNamesTheFileKey(Vertx vertx) {
    ConfigException e = loadFailure(vertx, dir.resolve("absent.yaml").toString());
    assertThat(e.key()).isEqualTo("tenants.file");
  }

  @Test
  void invalidYamlNamesTheFileKey(Vertx vertx) throws IOException {
    assertThat(loadFailure(vertx, write("tenants: [unclosed")).key()).isEqualTo("tenants.file");
  }

  @Test
  void invalidValueNamesItsKeyPath(Vertx vertx) throws IOException {
    assertThat(loadFailure(vertx, write("tenants:\n  acme:\n    maxExpiresIn: 7200\n")).key())
      .isEqualTo("tenants.acme.maxExpiresIn");
  }

  @Test
  void reloadKeepsTheLastGoodFile(Vertx vertx) throws IOException {
    String file = write(CONTRACT_YAML);
    TenantDirectory directory = load(vertx, file);
    Files.writeString(Path.of(file), "tenants:\n  acme:\n    colour: red\n");
    assertThat(directory.reloadFrom(vertx).await()).as("rejected").isFalse();
    assertThat(directory.reloadFrom(vertx).await()).as("the same fault is reported once").isNull();
    assertThat(directory.size()).isEqualTo(2);
    assertThat(directory.resolve("acme").account()).isEqualTo("DECART_API_KEY_ACME");
    Files.writeString(Path.of(file), "tenants:\n  initech: {}\n");
    assertThat(directory.reloadFrom(vertx).await()).as("applied").isTrue();
    assertThat(directory.reloadFrom(vertx).await()).as("unchanged").isNull();
    assertThat(directory.size()).isEqualTo(1);
    assertThat(directory.resolve("initech").account()).isEqualTo("DECART_API_KEY");
  }

  @Test
  void aChangeWhoseAccountsCannotBeLoadedIsRejected(Vertx vertx) throws IOException {
    String file = write(CONTRACT_YAML);
    TenantDirectory directory = load(vertx, file);
    Files.writeString(Path.of(file), "tenants:\n  initech:\n    apiKeyEnv: DECART_API_KEY_INITECH\n");
    java.util.List<java.util.Set<KeySource>> asked = new java.util.ArrayList<>();
    assertThat(directory.reloadFrom(vertx, sources -> {
      asked.add(sources);
      return io.vertx.core.Future.failedFuture(new ConfigException("tenants.initech.apiKeyEnv", "not set"));
    }).await()).as("rejected").isFalse();
    assertThat(asked).containsExactly(java.util.Set.of(
      KeySource.env("DECART_API_KEY_INITECH", "tenants.initech.apiKeyEnv")));
    assertThat(directory.size()).as("the last good file stays").isEqualTo(2);
    assertThat(directory.reloadFrom(vertx, sources -> io.vertx.core.Future.succeededFuture()).await()).isTrue();
    assertThat(directory.resolve("initech").account()).isEqualTo("DECART_API_KEY_INITECH");
  }

  /** CONTRACT §4: a file that is unchanged is not re-parsed; the same content written anew is. */
  @Test
  void anUnchangedFileIsNotParsedAgain(Vertx vertx) throws IOException {
    String file = write(CONTRACT_YAML);
    TenantDirectory directory = load(vertx, file);
    for (int i = 0; i < 3; i++) {
      assertThat(directory.reloadFrom(vertx).await()).as("unchanged").isNull();
    }
    assertThat(directory.parses()).isZero();
    Files.writeString(Path.of(file), Files.readString(Path.of(file)) + "# touched\n");
    assertThat(directory.reloadFrom(vertx).await()).as("the same tenants").isNull();
    assertThat(directory.reloadFrom(vertx).await()).isNull();
    assertThat(directory.parses()).isEqualTo(1);
  }

  @Test
  void watchPicksUpChanges(Vertx vertx, VertxTestContext test) throws IOException {
    String file = write(CONTRACT_YAML);
    TenantDirectory directory = load(vertx, file);
    java.util.List<Boolean> reloads = new java.util.concurrent.CopyOnWriteArrayList<>();
    long timer = directory.watch(vertx, 1, reloads::add);
    Files.writeString(Path.of(file), "tenants:\n  a: {}\n  b: {}\n  c: {}\n");
    vertx.setPeriodic(50, check -> {
      if (directory.size() == 3 && reloads.equals(java.util.List.of(true))) {
        vertx.cancelTimer(check);
        vertx.cancelTimer(timer);
        test.completeNow();
      }
    });
  }

  @Test
  void watchIsOffForZeroSeconds(Vertx vertx) throws IOException {
    assertThat(load(vertx, write(CONTRACT_YAML)).watch(vertx, 0, applied -> { })).isEqualTo(-1);
    assertThat(TenantDirectory.of(new io.vertx.core.json.JsonObject(), TenantDirectoryTest.DEFAULT_SOURCE)
      .watch(vertx, 1, applied -> { })).as("in memory: nothing to re-read").isEqualTo(-1);
  }

  private String write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "tenants", ".yaml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  private static TenantDirectory load(Vertx vertx, String file) {
    return TenantDirectory.load(vertx, file, TenantDirectoryTest.DEFAULT_SOURCE).await();
  }

  private static ConfigException loadFailure(Vertx vertx, String file) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(vertx, file));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e;
  }
}
