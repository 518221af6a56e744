package io.tokengateway.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable Decart for integration tests: a real server on 127.0.0.1, any port, that records
 * every request and answers by a script the test thread may change at any time.
 */
public final class FakeDecart {

  /** One request as it arrived: method, path, a copy of the headers, the whole body. */
  public record Recorded(String method, String path, MultiMap headers, Buffer body) {
    public JsonObject json() {
      return body.length() == 0 ? new JsonObject() : body.toJsonObject();
    }
  }

  /** How to answer one request; the static factories cover what Decart (or the network) may do. */
  @FunctionalInterface
  public interface Behaviour {
    void answer(Exchange exchange);

    static Behaviour ok() {
      return exchange -> exchange.send(200, tokenBody("ek_" + UUID.randomUUID().toString().replace("-", "")), Map.of());
    }

    /** 200 with exactly this body (garbage, an account key, …). */
    static Behaviour okBody(String raw) {
      return status(200, raw);
    }

    static Behaviour status(int status, String body) {
      return status(status, body, Map.of());
    }

    /** Any status with extra headers, e.g. 429 with {@code Retry-After}, 307 with {@code Location}. */
    static Behaviour status(int status, String body, Map<String, String> headers) {
      return exchange -> exchange.send(status, body, headers);
    }

    static Behaviour redirect(int status, String location) {
      return status(status, "", Map.of("location", location));
    }

    static Behaviour delay(long ms) {
      return delay(ms, ok());
    }

    /** Answers like {@code then}, but only after {@code ms} (a timer, not a sleep). */
    static Behaviour delay(long ms, Behaviour then) {
      return exchange -> exchange.vertx.setTimer(ms, id -> then.answer(exchange));
    }

    /** Never answers; the client must give up (which {@link #clientClosedConnections()} then counts). */
    static Behaviour hang() {
      return exchange -> { };
    }

    /** Closes the TCP connection without sending a byte of response. */
    static Behaviour resetBeforeHead() {
      return Exchange::closeConnection;
    }

    /** Sends a 200 head announcing 100 bytes, a few of them, then closes the connection. */
    static Behaviour resetAfterHead() {
      return exchange -> {
        HttpServerResponse response = exchange.response(200, Map.of("content-length", "100"));
        response.write("{\"apiKey\":\"ek_").onComplete(written -> exchange.closeConnection());
      };
    }

    /** The first {@code k} calls answered by {@code failure}, every later one {@link #ok()}. */
    static Behaviour failFirst(int k, Behaviour failure) {
      AtomicInteger calls = new AtomicInteger();
      return exchange -> (calls.incrementAndGet() <= k ? failure : ok()).answer(exchange);
    }

    /** 401 like Decart for a request whose {@code x-api-key} is in {@code revoked} (read at each call), else {@link #ok()}. */
    static Behaviour rejectKeys(java.util.Set<String> revoked) {
      Behaviour invalid = status(401, "{\"detail\":\"Invalid API key\"}");
      return exchange -> (revoked.contains(exchange.request.getHeader("x-api-key")) ? invalid : ok()).answer(exchange);
    }

    /** A reproducible {@code ratio} of calls answered 500, the others {@link #ok()}. */
    static Behaviour randomFailures(double ratio, long seed) {
      Random random = new Random(seed);
      Behaviour failure = status(500, "{\"detail\":\"Internal Server Error\"}");
      return exchange -> {
        boolean fail;
        synchronized (random) {
          fail = random.nextDouble() < ratio;
        }
        (fail ? failure : ok()).answer(exchange);
      };
    }
  }

  /** One request being answered: what a {@link Behaviour} acts on. */
  public static final class Exchange {
    public final Vertx vertx;
    public final HttpServerRequest request;
    private volatile boolean closedByServer;

    private Exchange(Vertx vertx, HttpServerRequest request) {
      this.vertx = vertx;
      this.request = request;
    }

    public void send(int status, String body, Map<String, String> headers) {
      response(status, headers).end(body);
    }

    /** The response with status, JSON content type and these headers set, nothing sent yet. */
    public HttpServerResponse response(int status, Map<String, String> headers) {
      HttpServerResponse response = request.response().setStatusCode(status);
      response.putHeader("content-type", "application/json");
      headers.forEach(response::putHeader);
      return response;
    }

    public void closeConnection() {
      closedByServer = true;
      request.connection().close();
    }
  }

  /** A fresh, valid Decart answer around {@code apiKey}, expiring in 60 s. */
  public static String tokenBody(String apiKey) {
    return new JsonObject().put("apiKey", apiKey).put("token", null)
      .put("expiresAt", Instant.now().plusSeconds(60).toString())
      .put("permissions", null).put("constraints", null).encode();
  }

  private final Vertx vertx;
  private final List<Recorded> received = new CopyOnWriteArrayList<>();
  private final Queue<Behaviour> script = new ConcurrentLinkedQueue<>();
  private final AtomicInteger clientClosed = new AtomicInteger();
  private volatile Behaviour fallback = Behaviour.ok();
  /** {@code GET /v1/realtime/quota} (CONTRACT §2): answered apart from the token calls, never recorded with them. */
  private volatile Behaviour quota = Behaviour.status(404, "{\"detail\":\"Not Found\"}");
  private final AtomicInteger quotaCalls = new AtomicInteger();
  private volatile Promise<Void> firstClientClose = Promise.promise();
  private HttpServer server;

  private FakeDecart(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<FakeDecart> start(Vertx vertx) {
    FakeDecart fake = new FakeDecart(vertx);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(fake::handle).listen()
      .map(server -> { fake.server = server; return fake; });
  }

  /** Answers every request (after any {@link #script}) this way from now on. */
  public FakeDecart respond(Behaviour behaviour) {
    fallback = behaviour;
    return this;
  }

  /** Answers the quota endpoint this way from now on (404 until set). */
  public FakeDecart respondQuota(Behaviour behaviour) {
    quota = behaviour;
    return this;
  }

  /** A 200 quota answer. */
  public static Behaviour quota(int limit, int active, int remaining) {
    return Behaviour.status(200, new JsonObject().put("limit", limit).put("active", active)
      .put("remaining", remaining).encode());
  }

  public int quotaCalls() {
    return quotaCalls.get();
  }

  /** The next requests are answered by these, in order; then by {@link #respond}'s behaviour. */
  public FakeDecart script(Behaviour... sequence) {
    script.addAll(List.of(sequence));
    return this;
  }

  /** Forgets every request, the script and the close count; answers {@link Behaviour#ok()} again. */
  public void reset() {
    script.clear();
    received.clear();
    fallback = Behaviour.ok();
    clientClosed.set(0);
    firstClientClose = Promise.promise();
  }

  public int calls() {
    return received.size();
  }

  public List<Recorded> received() {
    return List.copyOf(received);
  }

  public Recorded last() {
    return received.isEmpty() ? null : received.get(received.size() - 1);
  }

  /** Requests whose client closed the connection before the answer was complete. */
  public int clientClosedConnections() {
    return clientClosed.get();
  }

  /** Completes when a client first abandons a pending request (since start or {@link #reset}). */
  public Future<Void> firstClientClose() {
    return firstClientClose.future();
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    Exchange exchange = new Exchange(vertx, request);
    if ("/v1/realtime/quota".equals(request.path())) {
      quotaCalls.incrementAndGet();
      quota.answer(exchange);
      return;
    }
    request.response().closeHandler(v -> {
      if (!request.response().ended() && !exchange.closedByServer) {
        clientClosed.incrementAndGet();
        firstClientClose.tryComplete();
      }
    });
    request.body().onSuccess(body -> {
      received.add(new Recorded(request.method().name(), request.path(),
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body));
      Behaviour next = script.poll();
      (next != null ? next : fallback).answer(exchange);
    });
  }
}
