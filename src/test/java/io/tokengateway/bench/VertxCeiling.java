package io.tokengateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Benchmark yardstick, not product code: the cheapest forwarder the chosen stack allows, with no JWT,
 * no policy, no metrics, no logging. It answers "how fast can anything built on Vert.x go on this
 * machine" in the shared harness ({@code bench.sh ceiling=http://127.0.0.1:PORT}).
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.tokengateway.bench.VertxCeiling \
 *     --port 18096 --stack core|web [--upstream http://127.0.0.1:18080] [--pool 256]
 * </pre>
 * {@code core}: HttpServer + HttpClient; {@code web}: Router + WebClient (the gateway's stack).
 */
public final class VertxCeiling extends VerticleBase {

  private static final String PATH = "/v1/client/tokens";
  private static final Buffer BODY = Buffer.buffer("{\"expiresIn\":60,\"metadata\":{\"tenantId\":\"t1\"}}");

  private final int port;
  private final boolean web;
  private final String upstreamHost;
  private final int upstreamPort;
  private final int pool;

  private VertxCeiling(int port, boolean web, String upstreamHost, int upstreamPort, int pool) {
    this.port = port;
    this.web = web;
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.pool = pool;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(arg(args, "--port", "18096"));
    boolean web = arg(args, "--stack", "core").equals("web");
    java.net.URI upstream = java.net.URI.create(arg(args, "--upstream", "http://127.0.0.1:18080"));
    int pool = Integer.parseInt(arg(args, "--pool", "256"));
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new VertxCeiling(port, web, upstream.getHost(), upstream.getPort(), pool / instances),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("ceiling (" + (web ? "web" : "core") + ") listening on " + port))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  @Override
  public Future<?> start() {
    Handler<HttpServerRequest> handler = web ? webHandler() : coreHandler();
    return vertx.createHttpServer().requestHandler(handler).listen(port, "127.0.0.1");
  }

  private Handler<HttpServerRequest> coreHandler() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(pool));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(upstreamHost)
        .setPort(upstreamPort).setURI(PATH).putHeader("x-api-key", "dct_bench")
        .putHeader("content-type", "application/json");
    return request -> request.body()
        .compose(ignored -> client.request(options))
        .compose(upstream -> upstream.send(BODY))
        .compose(response -> response.body())
        .onSuccess(body -> request.response().putHeader("content-type", "application/json").end(body))
        .onFailure(err -> request.response().setStatusCode(502).end());
  }

  private Handler<HttpServerRequest> webHandler() {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(pool));
    Router router = Router.router(vertx);
    router.post(PATH).handler((RoutingContext ctx) -> ctx.request().body()
        .compose(ignored -> client.post(upstreamPort, upstreamHost, PATH).putHeader("x-api-key", "dct_bench")
            .putHeader("content-type", "application/json").sendBuffer(BODY))
        .onSuccess(response -> ctx.response().putHeader("content-type", "application/json").end(response.body()))
        .onFailure(err -> ctx.response().setStatusCode(502).end()));
    return router;
  }
}
