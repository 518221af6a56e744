package io.tokengateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the upstream call over HTTP/1.1 keep-alive against HTTP/2 (issue 7): a WebClient configured
 * as the gateway's, closed-loop callers, against a local server answering like Decart after a delay.
 * HTTP/2 runs in cleartext with prior knowledge (h2c): the framing and multiplexing cost of HTTP/2
 * without TLS, which both protocols pay alike with keep-alive. Figures, not a test.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx256m -cp target/classes:target/test-classes:$(cat target/cp.txt) io.tokengateway.bench.UpstreamProtocols
 * </pre>
 */
public final class UpstreamProtocols {

  private static final Buffer ANSWER = Buffer.buffer(
    "{\"apiKey\":\"ek_0123456789abcdefghijklmnopqrstuvwxyz\",\"token\":null,\"expiresAt\":\"2026-11-28T12:00:00Z\","
      + "\"permissions\":null,\"constraints\":null}");
  private static final Buffer BODY = Buffer.buffer("{\"expiresIn\":60,\"metadata\":{\"tenantId\":\"t1\",\"userId\":\"u1\"}}");
  private static final int SECONDS = 10;
  private static final int WARMUP_SECONDS = 5;

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger connections = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    UpstreamProtocols bench = new UpstreamProtocols();
    System.out.printf("%-8s %8s %7s %10s %9s %9s %12s %7s%n", "protocol", "delay ms", "callers", "req/s", "p50 ms",
      "p99 ms", "connections", "errors");
    for (int delayMs : new int[] {0, 50}) {
      HttpServer server = bench.startServer(delayMs);
      for (int callers : new int[] {64, 256}) {
        bench.run(HttpVersion.HTTP_1_1, server.actualPort(), delayMs, callers);
        bench.run(HttpVersion.HTTP_2, server.actualPort(), delayMs, callers);
      }
      server.close().toCompletionStage().toCompletableFuture().get();
    }
    bench.vertx.close();
  }

  private HttpServer startServer(int delayMs) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(true);
    options.getInitialSettings().setMaxConcurrentStreams(1000);
    return vertx.createHttpServer(options)
      .connectionHandler(connection -> connections.incrementAndGet())
      .requestHandler(request -> request.body().onSuccess(body -> {
        Runnable answer = () -> request.response().putHeader("content-type", "application/json").end(ANSWER);
        if (delayMs == 0) {
          answer.run();
        } else {
          vertx.setTimer(delayMs, id -> answer.run());
        }
      }))
      .listen().toCompletionStage().toCompletableFuture().get();
  }

  private void run(HttpVersion version, int port, int delayMs, int callers) throws Exception {
    WebClientOptions options = new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setProtocolVersion(version).setHttp2ClearTextUpgrade(false).setKeepAlive(true).setFollowRedirects(false);
    // HTTP/1.1: one connection per concurrent call, as the gateway's decart.maxConnections; HTTP/2: a few multiplexed
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(callers).setHttp2MaxSize(2);
    WebClient client = WebClient.create(vertx, options, pool);
    connections.set(0);
    load(client, callers, WARMUP_SECONDS);
    long[] samples = load(client, callers, SECONDS);
    int opened = connections.get();
    client.close();
    long[] latencies = Arrays.stream(samples).filter(v -> v > 0).sorted().toArray();
    long errors = samples.length - latencies.length;
    System.out.printf("%-8s %8d %7d %,10.0f %9.2f %9.2f %12d %7d%n", version == HttpVersion.HTTP_2 ? "h2c" : "http/1.1",
      delayMs, callers, latencies.length / (double) SECONDS, percentile(latencies, 0.50), percentile(latencies, 0.99),
      opened, errors);
  }

  /** Closed loop: each caller sends its next request when the previous answer is in. */
  private long[] load(WebClient client, int callers, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[][] perCaller = new long[callers][];
    Future<?>[] done = new Future<?>[callers];
    for (int i = 0; i < callers; i++) {
      Promise<long[]> finished = Promise.promise();
      loop(client, end, new long[1024], 0, finished);
      int caller = i;
      done[i] = finished.future().onSuccess(samples -> perCaller[caller] = samples);
    }
    Future.all(Arrays.asList(done)).toCompletionStage().toCompletableFuture().get();
    return Arrays.stream(perCaller).flatMapToLong(Arrays::stream).filter(v -> v != 0).toArray();
  }

  private void loop(WebClient client, long end, long[] samples, int count, Promise<long[]> finished) {
    if (System.nanoTime() >= end) {
      finished.complete(samples);
      return;
    }
    long start = System.nanoTime();
    client.post("/v1/client/tokens").putHeader("content-type", "application/json").sendBuffer(BODY)
      .onComplete(result -> {
        long[] grown = count == samples.length ? Arrays.copyOf(samples, count * 2) : samples;
        grown[count] = result.succeeded() && result.result().statusCode() == 200 ? System.nanoTime() - start : -1;
        loop(client, end, grown, count + 1, finished);
      });
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
  }
}
