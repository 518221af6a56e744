package io.tokengateway.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CONTRACT §4 tenants file: inheritance, unknown and disabled tenants, and every fault named by its key. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TenantDirectoryTest {

  static final KeySource DEFAULT_SOURCE = KeySource.env("DECART_API_KEY", "decart.apiKeyEnv");
  private static final KeySource ACME_SOURCE = KeySource.env("DECART_API_KEY_ACME", "tenants.acme.apiKeyEnv");
  /** The example of CONTRACT §4, as the YAML reader hands it over. */
  static final String CONTRACT_EXAMPLE = "{\"unknownTenants\":\"reject\",\"defaults\":{\"enabled\":true,"
    + "\"apiKeyEnv\":null,\"defaultExpiresIn\":60,\"maxExpiresIn\":300,\"allowedModels\":[],\"allowedOrigins\":[],"
    + "\"maxSessionDuration\":0,\"rateLimit\":{\"perSecond\":50,\"burst\":100,\"perUserPerMinute\":30}},"
    + "\"tenants\":{\"acme\":{\"apiKeyEnv\":\"DECART_API_KEY_ACME\",\"allowedModels\":[\"lucy-pro-v2v\",\"mirage\"],"
    + "\"allowedOrigins\":[\"https://app.acme.example\"]},\"globex\":{}}}";

  @Test
  void contractExampleResolves() {
    TenantDirectory directory = directory(CONTRACT_EXAMPLE);
    assertThat(directory.size()).isEqualTo(2);
    assertThat(directory.resolve("acme")).isEqualTo(new Tenant("acme", true, true, "DECART_API_KEY_ACME", ACME_SOURCE, 60, 300,
      List.of("lucy-pro-v2v", "mirage"), List.of("https://app.acme.example"), 0, new RateLimit(50, 100, 30), SessionPolicy.OFF, List.of()));
    assertThat(directory.resolve("globex")).isEqualTo(new Tenant("globex", true, true, "DECART_API_KEY", DEFAULT_SOURCE, 60, 300,
      List.of(), List.of(), 0, new RateLimit(50, 100, 30), SessionPolicy.OFF, List.of()));
  }

  @Test
  void emptyFileUsesBuiltInDefaults() {
    TenantDirectory directory = directory("{\"tenants\":{\"globex\":null}}");
    assertThat(directory.resolve("globex")).isEqualTo(new Tenant("globex", true, true, "DECART_API_KEY", DEFAULT_SOURCE, 60, 300,
      List.of(), List.of(), 0, new RateLimit(50, 100, 30), SessionPolicy.OFF, List.of()));
    assertThat(directory("{}").size()).isZero();
  }

  @Test
  void tenantOverridesEveryKeyOfDefaults() {
    TenantDirectory directory = directory("{\"defaults\":{\"enabled\":false,\"apiKeyEnv\":\"DECART_API_KEY_ACME\","
      + "\"defaultExpiresIn\":30,\"maxExpiresIn\":60,\"allowedModels\":[\"mirage\"],\"allowedOrigins\":"
      + "[\"https://a.example\"],\"maxSessionDuration\":60,\"rateLimit\":{\"perSecond\":10,\"burst\":20,\"perUserPerMinute\":5}},"
      + "\"tenants\":{\"inherits\":{\"enabled\":true},\"own\":{\"enabled\":true,\"apiKeyEnv\":null,"
      + "\"defaultExpiresIn\":120,\"maxExpiresIn\":3600,\"allowedModels\":[],\"allowedOrigins\":[\"http://localhost:3000\"],"
      + "\"maxSessionDuration\":0,\"rateLimit\":{\"burst\":7}}}}");
    assertThat(directory.resolve("inherits")).isEqualTo(new Tenant("inherits", true, true, "DECART_API_KEY_ACME",
      KeySource.env("DECART_API_KEY_ACME", "defaults.apiKeyEnv"), 30, 60,
      List.of("mirage"), List.of("https://a.example"), 60, new RateLimit(10, 20, 5), SessionPolicy.OFF, List.of()));
    assertThat(directory.resolve("own")).isEqualTo(new Tenant("own", true, true, "DECART_API_KEY", DEFAULT_SOURCE, 120, 3600,
      List.of(), List.of("http://localhost:3000"), 0, new RateLimit(10, 7, 5), SessionPolicy.OFF, List.of()));
  }

  @Test
  void inheritedDefaultExpiryIsClampedToTheTenantsMaximum() {
    TenantDirectory directory = directory("{\"tenants\":{\"short\":{\"maxExpiresIn\":30}}}");
    assertThat(directory.resolve("short").defaultExpiresIn()).isEqualTo(30);
  }

  @Test
  void eachTenantNamesItsOwnAccountNeverAnothers() {
    JsonObject tenants = new JsonObject();
    for (int i = 0; i < 50; i++) {
      tenants.put("t" + i, new JsonObject().put(i % 2 == 0 ? "apiKeyEnv" : "apiKeyFile", "KEY_" + i));
    }
    TenantDirectory directory = TenantDirectory.of(new JsonObject().put("tenants", tenants), DEFAULT_SOURCE);
    for (int i = 0; i < 50; i++) {
      KeySource source = directory.resolve("t" + i).keySource();
      assertThat(source.account()).isEqualTo("KEY_" + i);
      assertThat(source.file()).isEqualTo(i % 2 == 1);
      assertThat(source.configKey()).isEqualTo("tenants.t" + i + (i % 2 == 0 ? ".apiKeyEnv" : ".apiKeyFile"));
    }
    assertThat(directory.keySources()).hasSize(50);
  }

  @Test
  void unknownTenantIsRejectedByDefault() {
    TenantDirectory directory = directory(CONTRACT_EXAMPLE);
    assertThat(failure(directory, "initech")).isEqualTo(ErrorCode.UNKNOWN_TENANT);
    assertThat(failure(directory, null)).isEqualTo(ErrorCode.UNKNOWN_TENANT);
    assertThat(failure(directory, "ACME")).isEqualTo(ErrorCode.UNKNOWN_TENANT);
  }

  @Test
  void unknownTenantIsServedWithDefaultsWhenAsked() {
    TenantDirectory directory = directory("{\"unknownTenants\":\"defaults\",\"defaults\":{\"maxExpiresIn\":120},"
      + "\"tenants\":{\"acme\":{\"apiKeyEnv\":\"DECART_API_KEY_ACME\"}}}");
    Tenant initech = directory.resolve("initech");
    assertThat(initech).isEqualTo(new Tenant("initech", false, true, "DECART_API_KEY", DEFAULT_SOURCE, 60, 120, List.of(), List.of(), 0,
      new RateLimit(50, 100, 30), SessionPolicy.OFF, List.of()));
    assertThat(initech.statsKey()).isEqualTo(Tenant.DEFAULTS_STATS_KEY);
    assertThat(directory.resolve("acme").statsKey()).isEqualTo("acme");
    assertThat(directory.resolve("acme").account()).isEqualTo("DECART_API_KEY_ACME");
    assertThat(directory.keySources()).containsExactlyInAnyOrder(DEFAULT_SOURCE, ACME_SOURCE);
    // Ids no tenants file could name stay unknown, so labels and metadata stay plain.
    assertThat(failure(directory, "bad id")).isEqualTo(ErrorCode.UNKNOWN_TENANT);
    assertThat(failure(directory, "x".repeat(65))).isEqualTo(ErrorCode.UNKNOWN_TENANT);
    assertThat(failure(directory, null)).isEqualTo(ErrorCode.UNKNOWN_TENANT);
  }

  @Test
  void disabledTenantIsRefusedAndNeedsNoKey() {
    TenantDirectory directory = directory("{\"tenants\":{\"old\":{\"enabled\":false,\"apiKeyEnv\":\"GONE\"}}}");
    assertThat(failure(directory, "old")).isEqualTo(ErrorCode.TENANT_DISABLED);
    TenantDirectory closed = directory("{\"unknownTenants\":\"defaults\",\"defaults\":{\"enabled\":false}}");
    assertThat(failure(closed, "initech")).isEqualTo(ErrorCode.TENANT_DISABLED);
    assertThat(directory.keySources()).as("a disabled tenant's account is not in use").isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "{\"unknownTenants\":\"maybe\"}|unknownTenants",
    "{\"unknownTenants\":5}|unknownTenants",
    "{\"colour\":1}|colour",
    "{\"defaults\":[]}|defaults",
    "{\"defaults\":{\"maxExpiresIn\":3601}}|defaults.maxExpiresIn",
    "{\"defaults\":{\"rateLimit\":{\"burst\":-1}}}|defaults.rateLimit.burst",
    "{\"defaults\":{\"enabled\":1}}|defaults.enabled",
    "{\"defaults\":{\"tenants\":{}}}|defaults.tenants",
    "{\"tenants\":[\"acme\"]}|tenants",
    "{\"tenants\":{\"acme\":5}}|tenants.acme",
    "{\"tenants\":{\"acme\":{\"maxExpiresIn\":0}}}|tenants.acme.maxExpiresIn",
    "{\"tenants\":{\"acme\":{\"maxExpiresIn\":\"x\"}}}|tenants.acme.maxExpiresIn",
    "{\"tenants\":{\"acme\":{\"maxExpiresIn\":60.5}}}|tenants.acme.maxExpiresIn",
    "{\"tenants\":{\"acme\":{\"defaultExpiresIn\":0}}}|tenants.acme.defaultExpiresIn",
    "{\"tenants\":{\"acme\":{\"defaultExpiresIn\":301}}}|tenants.acme.defaultExpiresIn",
    "{\"tenants\":{\"acme\":{\"maxExpiresIn\":30,\"defaultExpiresIn\":31}}}|tenants.acme.defaultExpiresIn",
    "{\"tenants\":{\"acme\":{\"allowedModels\":\"mirage\"}}}|tenants.acme.allowedModels",
    "{\"tenants\":{\"acme\":{\"allowedModels\":[\"\"]}}}|tenants.acme.allowedModels",
    "{\"tenants\":{\"acme\":{\"allowedModels\":[1]}}}|tenants.acme.allowedModels",
    "{\"tenants\":{\"acme\":{\"allowedModels\":[\"m0\",\"m1\",\"m2\",\"m3\",\"m4\",\"m5\",\"m6\",\"m7\",\"m8\",\"m9\","
      + "\"m10\",\"m11\",\"m12\",\"m13\",\"m14\",\"m15\",\"m16\",\"m17\",\"m18\",\"m19\",\"m20\"]}}}|tenants.acme.allowedModels",
    "{\"tenants\":{\"acme\":{\"allowedOrigins\":[\"https://a.example/path\"]}}}|tenants.acme.allowedOrigins",
    "{\"tenants\":{\"acme\":{\"allowedOrigins\":[\"a.example\"]}}}|tenants.acme.allowedOrigins",
    "{\"tenants\":{\"acme\":{\"maxSessionDuration\":5}}}|tenants.acme.maxSessionDuration",
    "{\"tenants\":{\"acme\":{\"maxSessionDuration\":-1}}}|tenants.acme.maxSessionDuration",
    "{\"tenants\":{\"acme\":{\"maxSessionDuration\":86401}}}|tenants.acme.maxSessionDuration",
    "{\"tenants\":{\"acme\":{\"enabled\":\"maybe\"}}}|tenants.acme.enabled",
    "{\"tenants\":{\"acme\":{\"apiKeyEnv\":\"\"}}}|tenants.acme.apiKeyEnv",
    "{\"tenants\":{\"acme\":{\"apiKeyEnv\":5}}}|tenants.acme.apiKeyEnv",
    "{\"tenants\":{\"acme\":{\"rateLimit\":5}}}|tenants.acme.rateLimit",
    "{\"tenants\":{\"acme\":{\"rateLimit\":{\"rps\":5}}}}|tenants.acme.rateLimit.rps",
    "{\"tenants\":{\"acme\":{\"rateLimit\":{\"perSecond\":-1}}}}|tenants.acme.rateLimit.perSecond",
    "{\"tenants\":{\"acme\":{\"rateLimit\":{\"perUserPerMinute\":1000001}}}}|tenants.acme.rateLimit.perUserPerMinute",
    "{\"tenants\":{\"acme\":{\"rateLimit\":{\"burst\":0}}}}|tenants.acme.rateLimit.burst",
    "{\"tenants\":{\"acme\":{\"colour\":\"red\"}}}|tenants.acme.colour",
    "{\"tenants\":{\"bad id\":{}}}|tenants.bad id",
    "{\"tenants\":{\"_defaults\":{}}}|tenants._defaults",
    "{\"tenants\":{\"-x\":{}}}|tenants.-x"})
  void everyFaultNamesItsKeyPath(String yaml, String key) {
    assertThat(configFailure(yaml).key()).isEqualTo(key);
  }

  @Test
  void partialRateLimitWithUnlimitedRateNeedsNoBurst() {
    TenantDirectory directory = directory("{\"tenants\":{\"free\":{\"rateLimit\":{\"perSecond\":0,\"burst\":0}}}}");
    assertThat(directory.resolve("free").rateLimit()).isEqualTo(new RateLimit(0, 0, 30));
  }

  @Test
  void aKeyFileReplacesTheInheritedEnvAndNullMeansDecarts() {
    TenantDirectory directory = directory("{\"defaults\":{\"apiKeyEnv\":\"DECART_API_KEY_ACME\"},\"tenants\":{"
      + "\"filed\":{\"apiKeyFile\":\"/keys/filed\"},\"back\":{\"apiKeyFile\":null},\"both\":{\"apiKeyEnv\":null}}}");
    assertThat(directory.resolve("filed").keySource()).isEqualTo(KeySource.file("/keys/filed", "tenants.filed.apiKeyFile"));
    assertThat(directory.resolve("back").keySource()).isEqualTo(DEFAULT_SOURCE);
    assertThat(directory.resolve("both").keySource()).isEqualTo(DEFAULT_SOURCE);
    assertThat(configFailure("{\"tenants\":{\"x\":{\"apiKeyEnv\":\"A\",\"apiKeyFile\":\"/k\"}}}").key())
      .isEqualTo("tenants.x.apiKeyFile");
  }

  @Test
  void reloadSwapsTheWholeSnapshot() {
    TenantDirectory directory = directory(CONTRACT_EXAMPLE);
    directory.reload(directory("{\"tenants\":{\"initech\":{}}}"));
    assertThat(directory.resolve("initech").account()).isEqualTo("DECART_API_KEY");
    assertThat(failure(directory, "acme")).isEqualTo(ErrorCode.UNKNOWN_TENANT);
  }

  static TenantDirectory directory(String yaml) {
    return TenantDirectory.of(new JsonObject(yaml), DEFAULT_SOURCE);
  }

  private static ConfigException configFailure(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
      () -> TenantDirectory.of(new JsonObject(yaml), DEFAULT_SOURCE));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e;
  }

  private static ErrorCode failure(TenantDirectory directory, String tenantId) {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> directory.resolve(tenantId));
    assertThat(e).as("expected resolve to fail").isNotNull();
    return e.code();
  }
}
