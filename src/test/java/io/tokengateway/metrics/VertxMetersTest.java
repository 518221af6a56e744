package io.tokengateway.metrics;

import static io.tokengateway.testing.Await.await;
import static io.tokengateway.testing.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengateway.testing.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link VertxMeters} against vertx-micrometer 5.0.7 itself: the same traffic through an HTTP server and client in
 * two Vert.x, one with each, must scrape to the same HTTP series, help texts, labels, counts and byte sums.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class VertxMetersTest {

  private static final String SERVER = "vertx_http_server_";
  private static final String CLIENT = "vertx_http_client_";

  @Test
  void recordsWhatVertxMicrometerRecords() {
    List<String> stock = scrapeAfterTraffic(MicrometerMetricsFactory::new, mainOptions("stock"));
    List<String> ours = scrapeAfterTraffic(VertxMeters::new, mainOptions("ours"));

    assertThat(ours).isEqualTo(stock);
    // The traffic did reach both sides, resets included: the comparison above is not between two empty lists.
    String scrape = String.join("\n", stock);
    assertThat(Metrics.sample(scrape, SERVER + "requests_total", "code=404", "method=PUT")).isEqualTo(1);
    assertThat(Metrics.sample(scrape, SERVER + "request_bytes_sum", "method=PUT")).isEqualTo(1000);
    assertThat(Metrics.sample(scrape, SERVER + "request_resets_total", "method=POST")).isEqualTo(1);
    assertThat(Metrics.sample(scrape, SERVER + "request_resets_total", "method=GET")).isEqualTo(1);
    assertThat(Metrics.sample(scrape, CLIENT + "requests_total", "method=GET")).isEqualTo(3);
    assertThat(Metrics.sample(scrape, CLIENT + "responses_total", "code=500", "method=DELETE")).isEqualTo(1);
    assertThat(Metrics.sample(scrape, CLIENT + "response_bytes_sum", "code=500", "method=DELETE")).isEqualTo(500);
    assertThat(Metrics.sample(scrape, CLIENT + "responses_total", "code=799", "method=PURGE")).isEqualTo(1);
  }

  @Test
  void otherLabelsKeepVertxMicrometersOwnMeters() {
    MicrometerMetricsOptions withPath = mainOptions("path").addLabels(Label.HTTP_PATH);
    String scrape = String.join("\n", scrapeAfterTraffic(VertxMeters::new, withPath));

    assertThat(Metrics.sample(scrape, SERVER + "requests_total", "code=404", "method=PUT", "path=/missing")).isEqualTo(1);
  }

  /** Main's metrics options, each under its own registry name: vertx-micrometer keeps one backend per name. */
  private static MicrometerMetricsOptions mainOptions(String registryName) {
    return new MicrometerMetricsOptions().setEnabled(true).setRegistryName(registryName)
      .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS).setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /** One Vert.x with these metrics on its own registry, the traffic below, then its HTTP series. */
  private static List<String> scrapeAfterTraffic(Function<PrometheusMeterRegistry, VertxMetricsFactory> factory,
      MicrometerMetricsOptions metrics) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics);
    Vertx vertx = Vertx.builder().with(options).withMetrics(factory.apply(registry)).build();
    try {
      traffic(vertx);
      // Connections close and requests end on their event loops: wait until nothing is in flight on either side.
      eventually().until(() -> idle(registry.scrape()));
      return Stream.of(registry.scrape().split("\n"))
        .filter(line -> line.contains(SERVER) || line.contains(CLIENT))
        .map(VertxMetersTest::withoutTiming).sorted().toList();
    } finally {
      await(vertx.close());
    }
  }

  private static void traffic(Vertx vertx) {
    Promise<Void> held = Promise.promise();
    HttpServer server = await(vertx.createHttpServer().requestHandler(request -> answer(request, held)).listen(0, "127.0.0.1"));
    int port = server.actualPort();
    HttpClient client = vertx.createHttpClient();
    Context context = vertx.getOrCreateContext();
    send(context, client, port, HttpMethod.GET, "/ok", 0);
    send(context, client, port, HttpMethod.GET, "/ok?page=2", 0);
    send(context, client, port, HttpMethod.POST, "/ok", 100);
    send(context, client, port, HttpMethod.PUT, "/missing", 1000);
    send(context, client, port, HttpMethod.DELETE, "/fail", 10);
    send(context, client, port, HttpMethod.HEAD, "/ok", 0);
    send(context, client, port, HttpMethod.valueOf("PURGE"), "/odd", 0);
    // The server closes the connection without answering: a reset on both sides.
    assertThat(sendRaw(context, client, port, HttpMethod.GET, "/drop", 0).failed()).isTrue();
    // A request whose body never arrives and whose connection is closed: a reset on the server only.
    NetSocket socket = await(vertx.createNetClient().connect(port, "127.0.0.1"));
    socket.write("POST /hold HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789");
    await(held.future());
    await(socket.close());
    await(client.close());
    await(server.close());
  }

  private static void answer(HttpServerRequest request, Promise<Void> held) {
    switch (request.path()) {
      case "/drop" -> request.connection().close();
      case "/hold" -> held.tryComplete();
      default -> request.body().onSuccess(body -> request.response().setStatusCode(status(request.path()))
        .end(Buffer.buffer(new byte[bodySize(request.path())])));
    }
  }

  private static int status(String path) {
    return switch (path) {
      case "/ok" -> 200;
      case "/missing" -> 404;
      case "/fail" -> 500;
      default -> 799;
    };
  }

  private static int bodySize(String path) {
    return path.equals("/fail") ? 500 : path.length() * 7;
  }

  private static void send(Context context, HttpClient client, int port, HttpMethod method, String uri, int bodySize) {
    assertThat(sendRaw(context, client, port, method, uri, bodySize).succeeded()).as(method + " " + uri).isTrue();
  }

  /**
   * Completes once the exchange has, either way: the future says how. The chain is built on the client's event
   * loop, so body() is asked before the response's body can arrive; chained from the test thread it sometimes came
   * after the body had been dropped (a 20 s hang, now and then on a busy machine).
   */
  private static Future<Buffer> sendRaw(Context context, HttpClient client, int port, HttpMethod method, String uri,
      int bodySize) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    Promise<Buffer> body = Promise.promise();
    context.runOnContext(v -> client.request(options)
      .compose(request -> request.send(Buffer.buffer(new byte[bodySize])).compose(HttpClientResponse::body))
      .onComplete(body));
    await(body.future().map(b -> null).recover(failure -> Future.succeededFuture()));
    return body.future();
  }

  private static boolean idle(String scrape) {
    return Stream.of(SERVER + "active_requests", SERVER + "active_connections", CLIENT + "active_requests",
        CLIENT + "active_connections")
      .allMatch(gauge -> scrape.lines().filter(line -> line.startsWith(gauge)).allMatch(line -> line.endsWith(" 0.0")));
  }

  /** Times differ from run to run; their counts and every other value must not. */
  private static String withoutTiming(String line) {
    boolean timing = line.startsWith(SERVER + "response_time_seconds_sum") || line.startsWith(SERVER + "response_time_seconds_max")
      || line.startsWith(CLIENT + "response_time_seconds_sum") || line.startsWith(CLIENT + "response_time_seconds_max");
    return timing ? line.substring(0, line.lastIndexOf(' ')) + " <time>" : line;
  }
}
