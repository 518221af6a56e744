package io.tokengateway.testing;

import static io.tokengateway.testing.Await.await;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The setup most HTTP tests share: a {@link FakeDecart} and a {@link TestGateway} wired to it, each test passing its
 * own config and tenants, both closed after the test (gateway first). Register it on the test class:
 * {@code @RegisterExtension final GatewayFixture fixture = new GatewayFixture();}
 */
public final class GatewayFixture implements AfterEachCallback {

  private FakeDecart decart;
  private TestGateway gateway;

  /** A fresh fake Decart on port 0. */
  public FakeDecart decart(Vertx vertx) {
    decart = await(FakeDecart.start(vertx));
    return decart;
  }

  /** The gateway with the default test config and tenants, on the fake Decart. */
  public TestGateway gateway(Vertx vertx) {
    return gateway(vertx, TestGateway.config(decart.baseUrl()), TestGateway.tenants());
  }

  /** The gateway with the test's own config (from {@link TestGateway#config}) and tenants. */
  public TestGateway gateway(Vertx vertx, JsonObject config, JsonObject tenants) {
    return gateway(vertx, config, tenants, System::nanoTime);
  }

  /** As above, with the rate limiter on {@code nanoClock}, which the test steps. */
  public TestGateway gateway(Vertx vertx, JsonObject config, JsonObject tenants, LongSupplier nanoClock) {
    gateway = TestGateway.start(vertx, config, tenants, TestGateway.env(), nanoClock);
    return gateway;
  }

  /** A single-node gateway whose blocks, ledger and leases run on {@code clock}, which the test moves. */
  public TestGateway gateway(Vertx vertx, JsonObject config, JsonObject tenants, java.time.Clock clock) {
    gateway = TestGateway.start(io.tokengateway.cluster.Membership.single(vertx), config, tenants, clock);
    return gateway;
  }

  /** With the metrics on {@code registry}, which the test watches. */
  public TestGateway gateway(Vertx vertx, JsonObject config, JsonObject tenants,
                             PrometheusMeterRegistry registry) {
    gateway = TestGateway.start(vertx, config, tenants, registry);
    return gateway;
  }

  /** The gateway with its tenants read (and re-read) from {@code config}'s {@code tenants.file}. */
  public TestGateway gatewayWithTenantsFile(Vertx vertx, JsonObject config) {
    return gatewayWithTenantsFile(vertx, config, TestGateway.env());
  }

  /** With {@code env} kept by the test, which may change it while the gateway runs. */
  public TestGateway gatewayWithTenantsFile(Vertx vertx, JsonObject config, java.util.Map<String, String> env) {
    gateway = TestGateway.startWithTenantsFile(vertx, config, env);
    return gateway;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
    if (decart != null) {
      await(decart.close());
      decart = null;
    }
  }
}
