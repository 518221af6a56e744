package io.tokengateway.bench;

import static io.tokengateway.testing.Await.await;

import io.tokengateway.testing.FakeDecart;
import io.tokengateway.testing.JarProcess;
import io.tokengateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos load of issue 18 (run by bench/chaos.sh): the packaged gateway with the shipped {@code decart.*}
 * settings against a fake Decart that answers after 10 ms and fails a random share with 503; N callers, one new
 * connection per request; SIGTERM at a chosen second. Measures, never asserts: every request's fate, the Decart
 * calls, and tokens minted by Decart vs delivered to callers.
 * A warm-up of {@link #WARMUP_MS} with Decart healthy comes first and is not counted.
 * Arguments: callers seconds failShare sigtermAtSecond (0 = none) fatesFile.
 */
public final class Chaos {

  private static final long WARMUP_MS = 5000;

  private record Fate(long atMs, String fate, long ms) {}

  public static void main(String[] args) throws Exception {
    int callers = Integer.parseInt(args[0]);
    long runMs = Long.parseLong(args[1]) * 1000;
    double failShare = Double.parseDouble(args[2]);
    long sigtermAtMs = Long.parseLong(args[3]) * 1000;
    Path fatesFile = Path.of(args[4]);
    Vertx vertx = Vertx.vertx();
    Set<String> minted = ConcurrentHashMap.newKeySet();
    AtomicBoolean measuring = new AtomicBoolean();
    FakeDecart decart = await(FakeDecart.start(vertx));
    decart.respond(exchange -> vertx.setTimer(10, id -> {
      if (measuring.get() && ThreadLocalRandom.current().nextDouble() < failShare) {
        exchange.send(503, "{\"detail\":\"Service Unavailable\"}", Map.of());
      } else {
        String key = "ek_" + UUID.randomUUID().toString().replace("-", "");
        minted.add(key);
        exchange.send(200, FakeDecart.tokenBody(key), Map.of());
      }
    }));
    Path dir = Files.createTempDirectory("chaos");
    Path conf = JarProcess.config(dir, "chaos", decart.baseUrl(),
      "defaults:\n  rateLimit: {perSecond: 100000, burst: 100000, perUserPerMinute: 100000}\ntenants:\n  globex: {}\n",
      "server: {host: 127.0.0.1, port: 0}");
    try (JarProcess gateway = JarProcess.start(TestGateway.env(), "--conf", conf.toString())) {
      int port = gateway.awaitListening(30_000).publicPort();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(callers));
      run(client, port, callers, WARMUP_MS, new ConcurrentLinkedQueue<>(), ConcurrentHashMap.newKeySet()).await();
      int warmupCalls = decart.calls();
      minted.clear();
      measuring.set(true);
      Queue<Fate> fates = new ConcurrentLinkedQueue<>();
      Set<String> delivered = ConcurrentHashMap.newKeySet();
      CountDownLatch done = run(client, port, callers, runMs, fates, delivered);
      long exitMs = -1;
      int exitCode = -1;
      if (sigtermAtMs > 0) {
        Thread.sleep(sigtermAtMs);
        long termAt = System.currentTimeMillis();
        gateway.terminate();
        exitCode = gateway.awaitExit(40_000);
        exitMs = System.currentTimeMillis() - termAt;
      }
      done.await();
      report(callers, runMs, failShare, fates, decart.calls() - warmupCalls, minted, delivered, exitCode, exitMs, fatesFile);
      client.close();
    }
    await(vertx.close());
  }

  /** Starts the callers; the latch opens when each has had its last answer after {@code runMs}. */
  private static CountDownLatch run(WebClient client, int port, int callers, long runMs, Queue<Fate> fates,
                                    Set<String> delivered) {
    long start = System.currentTimeMillis();
    CountDownLatch done = new CountDownLatch(callers);
    for (int i = 0; i < callers; i++) {
      call(client, port, TestGateway.token("globex", "caller" + i), start, runMs, fates, delivered, done);
    }
    return done;
  }

  private static void call(WebClient client, int port, String bearer, long start, long runMs, Queue<Fate> fates,
                           Set<String> delivered, CountDownLatch done) {
    long sent = System.currentTimeMillis();
    if (sent - start >= runMs) {
      done.countDown();
      return;
    }
    client.post(port, "127.0.0.1", "/v1/client/tokens").putHeader("authorization", "Bearer " + bearer).send()
      .onComplete(answer -> {
        String fate = answer.succeeded() ? fate(answer.result(), delivered) : "connection: "
          + answer.cause().getClass().getSimpleName();
        fates.add(new Fate(sent - start, fate, System.currentTimeMillis() - sent));
        call(client, port, bearer, start, runMs, fates, delivered, done);
      });
  }

  private static String fate(HttpResponse<Buffer> response, Set<String> delivered) {
    if (response.statusCode() == 200) {
      delivered.add(response.bodyAsJsonObject().getString("apiKey"));
      return "200";
    }
    String type = response.getHeader("content-type");
    String code = type != null && type.contains("json") ? new JsonObject(response.bodyAsString()).getString("code") : "";
    return response.statusCode() + " " + code;
  }

  private static void report(int callers, long runMs, double failShare, Queue<Fate> fates, int upstreamCalls,
                             Set<String> minted, Set<String> delivered, int exitCode, long exitMs, Path fatesFile)
      throws Exception {
    Map<String, AtomicInteger> tally = new TreeMap<>();
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(fatesFile))) {
      out.println("sentAtMs,fate,ms");
      for (Fate fate : fates) {
        out.println(fate.atMs() + "," + fate.fate() + "," + fate.ms());
        tally.computeIfAbsent(fate.fate(), f -> new AtomicInteger()).incrementAndGet();
      }
    }
    long deliveredMinted = delivered.stream().filter(minted::contains).count();
    System.out.printf("failing %.0f%%, %d callers, %d s: requests %d, fates %s, Decart calls %d, tokens minted %d,"
        + " delivered %d (not delivered %d), exit %d after %d ms from SIGTERM; each request: %s%n",
      failShare * 100, callers, runMs / 1000, fates.size(), tally, upstreamCalls, minted.size(), deliveredMinted,
      minted.size() - deliveredMinted, exitCode, exitMs, fatesFile);
  }
}
