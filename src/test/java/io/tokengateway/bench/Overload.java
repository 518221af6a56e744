package io.tokengateway.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The overload client of issue 17 target 3 (run by bench/overload.sh): N users, each one keep-alive connection
 * with one request at a time (closed loop, like wrk), timing the 200s and the 503s apart (wrk cannot). A user
 * refused with 503 waits what its {@code Retry-After} says plus up to one second of random jitter before asking
 * again (mode {@code honor}: what the header is for, and what independent clients look like), or asks again at
 * once (mode {@code ignore}: every refused user hammering, wrk's behaviour). Measures, never asserts.
 * Arguments: url tokenFile users warmupSeconds seconds honor|ignore [gatewayPid]. Prints one line of
 * {@code key=value}; with the gateway's pid also its CPU time per answered request over the measured seconds.
 */
public final class Overload {

  private static final long TIMEOUT_MS = 10_000;   // as the harness's wrk --timeout 10s
  private static final String BODY = "{\"expiresIn\":60}";
  private static final double TICKS_PER_SECOND = 100;

  /** What one verticle's users saw; merged at the end (each verticle is one thread). */
  static final class Tally {
    final Histogram ok = new Histogram(60_000_000L, 3);         // µs
    final Histogram refused = new Histogram(60_000_000L, 3);
    long otherStatus;
    long timeouts;
    long errors;
    boolean measuring;

    void add(Tally other) {
      ok.add(other.ok);
      refused.add(other.refused);
      otherStatus += other.otherStatus;
      timeouts += other.timeouts;
      errors += other.errors;
    }
  }

  static final class Users extends AbstractVerticle {
    private final RequestOptions request;
    private final int users;
    private final boolean honor;
    private final Tally tally = new Tally();
    private final Buffer body = Buffer.buffer(BODY);
    private HttpClient client;
    private volatile boolean stopped;

    Users(RequestOptions request, int users, boolean honor) {
      this.request = request;
      this.users = users;
      this.honor = honor;
    }

    @Override
    public void start() {
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000),
        new PoolOptions().setHttp1MaxSize(users).setMaxWaitQueueSize(-1));
      // Users start spread over the first second, as independent clients would, not in one SYN burst.
      for (int i = 0; i < users; i++) {
        vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(1000), id -> ask());
      }
    }

    private void ask() {
      if (stopped) {
        return;
      }
      long start = System.nanoTime();
      client.request(request)
        .compose(req -> req.send(body))
        .compose(response -> response.body().map(ignored -> response))
        .onComplete(done -> {
          long micros = (System.nanoTime() - start) / 1000;
          if (done.failed()) {
            count(done.cause());
            vertx.setTimer(10, id -> ask());
            return;
          }
          long waitMs = record(done.result(), micros);
          if (waitMs > 0) {
            vertx.setTimer(waitMs, id -> ask());
          } else {
            ask();
          }
        });
    }

    /** Records the answer; returns how long this user waits before its next request. */
    private long record(HttpClientResponse response, long micros) {
      int status = response.statusCode();
      if (status == 200) {
        if (tally.measuring) {
          tally.ok.recordValue(micros);
        }
        return 0;
      }
      if (status == 503) {
        if (tally.measuring) {
          tally.refused.recordValue(micros);
        }
        String retryAfter = response.getHeader("retry-after");
        if (honor && retryAfter != null) {
          return Long.parseLong(retryAfter) * 1000 + ThreadLocalRandom.current().nextLong(1000);
        }
        return 0;
      }
      if (tally.measuring) {
        tally.otherStatus++;
      }
      return 0;
    }

    private void count(Throwable failure) {
      if (!tally.measuring) {
        return;
      }
      if (failure instanceof TimeoutException || String.valueOf(failure.getMessage()).contains("timeout")) {
        tally.timeouts++;
      } else {
        tally.errors++;
      }
    }

    Future<Tally> measure(boolean on) {
      Promise<Tally> result = Promise.promise();
      context.runOnContext(v -> {
        tally.measuring = on;
        result.complete(tally);
      });
      return result.future();
    }

    void halt() {
      stopped = true;
    }
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String token = Files.readString(Path.of(args[1])).trim();
    int users = Integer.parseInt(args[2]);
    long warmupMs = Long.parseLong(args[3]) * 1000;
    long runMs = Long.parseLong(args[4]) * 1000;
    boolean honor = !"ignore".equals(args[5]);
    java.net.URI uri = java.net.URI.create(url);
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
      .setPort(uri.getPort()).setURI(uri.getPath()).setIdleTimeout(TIMEOUT_MS)
      .putHeader("authorization", "Bearer " + token).putHeader("content-type", "application/json");
    int loops = 2;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    List<Users> verticles = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      Users part = new Users(request, users / loops + (i < users % loops ? 1 : 0), honor);
      verticles.add(part);
      vertx.deployVerticle(part, new DeploymentOptions()).await();
    }
    Thread.sleep(warmupMs);
    Path gatewayStat = args.length > 6 ? Path.of("/proc", args[6], "stat") : null;
    for (Users part : verticles) {
      part.measure(true).await();
    }
    long start = System.nanoTime();
    long cpuBefore = cpuTicks(gatewayStat);
    Thread.sleep(runMs);
    Tally total = new Tally();
    for (Users part : verticles) {
      total.add(part.measure(false).await());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpuTicks = cpuTicks(gatewayStat) - cpuBefore;
    long answered = total.ok.getTotalCount() + total.refused.getTotalCount() + total.otherStatus;
    verticles.forEach(Users::halt);
    System.out.println(String.format(Locale.ROOT,
      "users=%d mode=%s ok_per_s=%.0f refused_per_s=%.0f ok_p50_ms=%.2f ok_p99_ms=%.2f ok_max_ms=%.1f "
        + "refused_p50_ms=%.2f refused_p99_ms=%.2f refused_max_ms=%.1f other=%d timeouts=%d errors=%d "
        + "gateway_cores=%.2f gateway_us_per_answer=%.1f",
      users, honor ? "honor" : "ignore", total.ok.getTotalCount() / seconds, total.refused.getTotalCount() / seconds,
      ms(total.ok, 50), ms(total.ok, 99), total.ok.getMaxValue() / 1000.0,
      ms(total.refused, 50), ms(total.refused, 99), total.refused.getMaxValue() / 1000.0,
      total.otherStatus, total.timeouts, total.errors,
      cpuTicks / TICKS_PER_SECOND / seconds, answered == 0 ? 0 : cpuTicks / TICKS_PER_SECOND * 1e6 / answered));
    vertx.close().await();
  }

  /** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux); 0 without a pid. */
  private static long cpuTicks(Path stat) throws java.io.IOException {
    if (stat == null) {
      return 0;
    }
    String line = Files.readString(stat);
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static double ms(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
