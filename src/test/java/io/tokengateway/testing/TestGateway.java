package io.tokengateway.testing;

import static io.tokengateway.testing.Await.await;

import io.tokengateway.Gateway;
import io.tokengateway.cluster.Membership;
import io.tokengateway.metrics.GatewayMetrics;
import java.time.Clock;
import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.tenant.KeySource;
import io.tokengateway.tenant.TenantDirectory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A real gateway on loopback port 0, in this JVM, wired to a {@link FakeDecart}; HMAC session
 * tokens by default. Config and tenants are the test's JSON merged over sane test defaults.
 */
public final class TestGateway implements AutoCloseable {

  public static final String HMAC_ENV = "TEST_HMAC_SECRET";
  public static final byte[] HMAC_SECRET = "test-secret-test-secret-test-secret-0123".getBytes(StandardCharsets.UTF_8);
  public static final String DEFAULT_KEY = "dct_default_test_key";
  public static final String ACME_KEY = "dct_acme_test_key";
  public static final String GLOBEX_KEY = "dct_globex_test_key";

  private final Vertx vertx;
  private final Gateway gateway;
  private final WebClient client;

  private TestGateway(Vertx vertx, Gateway gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(false),
      new PoolOptions().setHttp1MaxSize(1000));
  }

  public static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put(HMAC_ENV, new String(HMAC_SECRET, StandardCharsets.UTF_8));
    env.put("DECART_API_KEY", DEFAULT_KEY);
    env.put("DECART_API_KEY_ACME", ACME_KEY);
    env.put("DECART_API_KEY_GLOBEX", GLOBEX_KEY);
    return env;
  }

  public static JsonObject config(String decartBaseUrl) {
    return new JsonObject()
      .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("requestReadTimeoutMs", 2000))
      .put("management", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("decart", new JsonObject().put("baseUrl", decartBaseUrl).put("timeoutMs", 2000).put("deadlineMs", 4000))
      .put("jwt", new JsonObject().put("hmacSecretEnv", HMAC_ENV).put("algorithms", new JsonArray().add("HS256"))
        .put("audience", TokenFactory.AUDIENCE))
      .put("tenants", new JsonObject().put("reloadSeconds", 0));
  }

  /** acme (own key, two models, one origin, 600 s sessions), globex (own key), off (disabled). */
  public static JsonObject tenants() {
    return new JsonObject().put("unknownTenants", "reject")
      .put("tenants", new JsonObject()
        .put("acme", new JsonObject().put("apiKeyEnv", "DECART_API_KEY_ACME")
          .put("allowedModels", new JsonArray().add("lucy-pro-v2v").add("mirage"))
          .put("allowedOrigins", new JsonArray().add("https://app.acme.example"))
          .put("maxSessionDuration", 600))
        .put("globex", new JsonObject().put("apiKeyEnv", "DECART_API_KEY_GLOBEX"))
        .put("off", new JsonObject().put("enabled", false)));
  }

  public static TestGateway start(Vertx vertx, FakeDecart decart) {
    return start(vertx, config(decart.baseUrl()), tenants(), env());
  }

  public static TestGateway start(Vertx vertx, JsonObject config, JsonObject tenants, Map<String, String> env) {
    return start(vertx, config, tenants, env, System::nanoTime);
  }

  /** With the rate limiter on {@code nanoClock}, which the test steps. */
  public static TestGateway start(Vertx vertx, JsonObject config, JsonObject tenants, Map<String, String> env,
                                  LongSupplier nanoClock) {
    GatewayConfig parsed = ConfigLoader.parse(config, env);
    TenantDirectory directory = TenantDirectory.of(tenants, KeySource.defaultOf(parsed.decart()));
    return new TestGateway(vertx, await(Gateway.start(vertx, parsed, directory, env, nanoClock)));
  }

  /** With the wall clock of blocks and the ledger given (a {@link MutableClock}). */
  public static TestGateway start(Vertx vertx, JsonObject config, JsonObject tenants, Map<String, String> env,
                                  java.time.Clock clock) {
    GatewayConfig parsed = ConfigLoader.parse(config, env);
    TenantDirectory directory = TenantDirectory.of(tenants, KeySource.defaultOf(parsed.decart()));
    return new TestGateway(vertx, await(Gateway.start(io.tokengateway.cluster.Membership.single(vertx), parsed,
      directory, env, io.tokengateway.metrics.GatewayMetrics.newRegistry(), clock)));
  }

  /** On {@code membership} (single or clustered) with {@code clock} driving lease expiry. */
  public static TestGateway start(Membership membership, JsonObject config, JsonObject tenants, Clock clock) {
    Map<String, String> env = env();
    GatewayConfig parsed = ConfigLoader.parse(config, env);
    TenantDirectory directory = TenantDirectory.of(tenants, KeySource.defaultOf(parsed.decart()));
    return new TestGateway(membership.vertx(), await(Gateway.start(membership, parsed, directory, env,
      GatewayMetrics.newRegistry(), clock)));
  }

  /** With the metrics on {@code registry}, which the test may watch (e.g. when a meter is first made). */
  public static TestGateway start(Vertx vertx, JsonObject config, JsonObject tenants,
                                  PrometheusMeterRegistry registry) {
    Map<String, String> env = env();
    GatewayConfig parsed = ConfigLoader.parse(config, env);
    TenantDirectory directory = TenantDirectory.of(tenants, KeySource.defaultOf(parsed.decart()));
    return new TestGateway(vertx, await(Gateway.start(Membership.single(vertx), parsed, directory, env, registry)));
  }

  /** With the tenants read from (and re-read from) {@code config}'s {@code tenants.file}. */
  public static TestGateway startWithTenantsFile(Vertx vertx, JsonObject config, Map<String, String> env) {
    GatewayConfig parsed = ConfigLoader.parse(config, env);
    TenantDirectory directory = await(TenantDirectory.load(vertx, parsed.tenants().file(),
      KeySource.defaultOf(parsed.decart())));
    return new TestGateway(vertx, await(Gateway.start(vertx, parsed, directory, env)));
  }

  /** Tenants without rate limits, for tests that send many requests as one user. */
  public static JsonObject unlimitedTenants() {
    return tenants().put("defaults", new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 0)
      .put("perUserPerMinute", 0)));
  }

  public String scrape() {
    return get(managementPort(), "/metrics", MultiMap.caseInsensitiveMultiMap()).bodyAsString();
  }

  public static String token(String tenant, String user) {
    return TokenFactory.hs256(HMAC_SECRET).mint(TokenFactory.claims(tenant, user));
  }

  public int port() {
    return gateway.publicPort();
  }

  public int managementPort() {
    return gateway.managementPort();
  }

  public Gateway gateway() {
    return gateway;
  }

  public HttpRequest<Buffer> post(String path, String bearer) {
    HttpRequest<Buffer> request = client.post(port(), "127.0.0.1", path);
    if (bearer != null) {
      request.putHeader("authorization", "Bearer " + bearer);
    }
    return request;
  }

  public HttpRequest<Buffer> delete(String path, String bearer) {
    HttpRequest<Buffer> request = client.delete(port(), "127.0.0.1", path);
    if (bearer != null) {
      request.putHeader("authorization", "Bearer " + bearer);
    }
    return request;
  }

  /** POSTs a JSON body (null = no body) with a bearer token (null = no header). */
  public HttpResponse<Buffer> issue(String path, String bearer, String json) {
    HttpRequest<Buffer> request = post(path, bearer);
    if (json == null) {
      return await(request.send());
    }
    return await(request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(json)));
  }

  public HttpResponse<Buffer> issue(String bearer, String json) {
    return issue("/v1/client/tokens", bearer, json);
  }

  public HttpResponse<Buffer> get(int port, String path, MultiMap headers) {
    return await(client.get(port, "127.0.0.1", path).putHeaders(headers).send());
  }

  public Future<Void> stop() {
    client.close();
    return gateway.stop(1);
  }

  @Override
  public void close() {
    await(stop());
  }
}
