package io.tokengateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Vert.x metrics of CONTRACT §7 ("the Vert.x HTTP server and client metrics (vertx-micrometer-metrics)"):
 * everything from vertx-micrometer-metrics, except that the HTTP request meters are {@link RequestMeters}, which
 * produce the same series and values but are registered once. vertx-micrometer 5.0.7 builds {@code Tags} and looks
 * each request meter up in the registry on every request (~10 look-ups: 4-8 % of the gateway's CPU and 1.5-2 KB per
 * request in the profiles of bench/README.md); its {@code meterCacheEnabled} option is read by nothing.
 */
public final class VertxMeters implements VertxMetricsFactory {

  /** The labels {@link RequestMeters} reproduces (5.0.7's defaults); with any other set the stock meters stay. */
  private static final Set<Label> REQUEST_LABELS = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE);
  private static final Set<Label> LABELS_ON_REQUESTS = EnumSet.of(Label.LOCAL, Label.REMOTE, Label.HTTP_PATH,
    Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.CLIENT_NAME);

  private final MicrometerMetricsFactory micrometer;

  public VertxMeters(MeterRegistry registry) {
    this.micrometer = new MicrometerMetricsFactory(registry);
  }

  @Override
  public VertxMetrics metrics(VertxOptions vertxOptions) {
    VertxMetrics stock = micrometer.metrics(vertxOptions);
    MicrometerMetricsOptions options = vertxOptions.getMetricsOptions() instanceof MicrometerMetricsOptions given
      ? given : new MicrometerMetricsOptions(vertxOptions.getMetricsOptions().toJson());
    if (!reproducible(options)) {
      return stock;
    }
    // Where vertx-micrometer registers: it keeps one backend per registry name, the first one set up under it.
    MeterRegistry registry = BackendRegistries.getNow(options.getRegistryName());
    return new Delegating(stock, new RequestMeters(registry, options.getMetricsNaming(), RequestMeters.Side.SERVER),
      new RequestMeters(registry, options.getMetricsNaming(), RequestMeters.Side.CLIENT));
  }

  private static boolean reproducible(MicrometerMetricsOptions options) {
    if (options.getLabels() == null) {
      return false;
    }
    Set<Label> labels = EnumSet.copyOf(LABELS_ON_REQUESTS);
    labels.retainAll(options.getLabels());
    return labels.equals(REQUEST_LABELS) && options.getServerRequestTagsProvider() == null
      && options.getClientRequestTagsProvider() == null;
  }

  @Override
  public MetricsOptions newOptions() {
    return micrometer.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return micrometer.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return micrometer.newOptions(json);
  }

  /** vertx-micrometer's metrics, but for the HTTP request meters. */
  private record Delegating(VertxMetrics stock, RequestMeters server, RequestMeters client) implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress local) {
      HttpServerMetrics<?, ?, ?> connections = stock.createHttpServerMetrics(options, local);
      return connections == null ? null : new HttpServerMeters(server, connections);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      HttpClientMetrics<?, ?, ?> connections = stock.createHttpClientMetrics(options);
      return connections == null ? null : new HttpClientMeters(client, connections);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return stock.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remote, String type, String namespace) {
      return stock.createClientMetrics(remote, type, namespace);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress local) {
      return stock.createNetServerMetrics(options, local);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return stock.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return stock.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
      return stock.createPoolMetrics(poolType, poolName, maxPoolSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      stock.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return stock.isMetricsEnabled();
    }

    @Override
    public void close() {
      stock.close();
    }
  }
}
