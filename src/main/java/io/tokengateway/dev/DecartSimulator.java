package io.tokengateway.dev;

import io.tokengateway.decart.DecartRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import io.tokengateway.logging.Logging;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An embedded Decart {@code POST /v1/client/tokens} that validates like the real one (CONTRACT §2)
 * and mints fresh {@code ek_} keys: the upstream of dev mode (§8) and a standalone load-test target.
 */
public final class DecartSimulator {

  public static final String QUOTA_PATH = "/v1/realtime/quota";
  public static final String SESSIONS_PATH = "/v1/sim/sessions";
  /** Concurrent realtime sessions per account unless {@code --session-limit} says otherwise (CONTRACT §12). */
  public static final int DEFAULT_SESSION_LIMIT = 10;
  private static final int KEY_RANDOM_BYTES = 24; // 32 base64url characters
  private static final SecureRandom RANDOM = new SecureRandom(); // urandom-backed: never blocks a loop
  private static final List<String> FLAGS = List.of("--host", "--port", "--latency-ms", "--error-ratio", "--api-key",
    "--session-limit");

  /**
   * How the simulator behaves. {@code acceptedKeys} empty = any key that is not {@code ek_};
   * {@code latencyMs} delays every token answer; {@code errorRatio} (0..1) of them are 500s.
   */
  public record Options(String host, int port, Set<String> acceptedKeys, int latencyMs, double errorRatio,
                        int sessionLimit) {
    public Options {
      acceptedKeys = Set.copyOf(acceptedKeys == null ? Set.of() : acceptedKeys);
      if (port < 0 || port > 65535 || latencyMs < 0 || !(errorRatio >= 0 && errorRatio <= 1) || sessionLimit < 0) {
        throw new IllegalArgumentException(
          "port 0-65535, latency-ms >= 0, error-ratio 0..1 and session-limit >= 0 expected");
      }
    }

    public Options(String host, int port, Set<String> acceptedKeys, int latencyMs, double errorRatio) {
      this(host, port, acceptedKeys, latencyMs, errorRatio, DEFAULT_SESSION_LIMIT);
    }

    /** Loopback, any free port, any key, no latency, no errors. */
    public static Options defaults() {
      return new Options("127.0.0.1", 0, Set.of(), 0, 0.0);
    }

    /** Parses {@code --port N --latency-ms M --error-ratio R --host H --session-limit S [--api-key K]...}. */
    public static Options fromArgs(String... args) {
      Map<String, String> flags = new HashMap<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length || !FLAGS.contains(args[i])) {
          throw new IllegalArgumentException("unknown or incomplete argument " + args[i] + "; expected " + FLAGS);
        }
        if ("--api-key".equals(args[i])) {
          keys.add(args[i + 1]);
        } else {
          flags.put(args[i], args[i + 1]);
        }
      }
      return new Options(flags.getOrDefault("--host", "127.0.0.1"), Integer.parseInt(flags.getOrDefault("--port", "0")),
        keys, Integer.parseInt(flags.getOrDefault("--latency-ms", "0")),
        Double.parseDouble(flags.getOrDefault("--error-ratio", "0")),
        Integer.parseInt(flags.getOrDefault("--session-limit", String.valueOf(DEFAULT_SESSION_LIMIT))));
    }
  }

  /** A finished answer, computed before the simulated latency elapses. */
  private record Answer(int status, JsonObject body) {
    static Answer detail(int status, Object detail) {
      return new Answer(status, new JsonObject().put("detail", detail));
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final AtomicLong requests = new AtomicLong();
  private final SimulatedSessions sessions;
  private HttpServer server;

  private DecartSimulator(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.sessions = new SimulatedSessions(vertx, options.sessionLimit());
  }

  public static Future<DecartSimulator> start(Vertx vertx, Options options) {
    DecartSimulator simulator = new DecartSimulator(vertx, options);
    HttpServerOptions serverOptions = new HttpServerOptions().setHost(options.host()).setPort(options.port());
    return vertx.createHttpServer(serverOptions).requestHandler(simulator::handle).listen()
      .map(server -> { simulator.server = server; return simulator; });
  }

  public int port() {
    return server.actualPort();
  }

  /** Where a client on this machine reaches it: a wildcard bind is reached over loopback. */
  public String baseUrl() {
    String host = options.host();
    boolean wildcard = host == null || host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host);
    return "http://" + (wildcard ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** How many token requests it received, answered or not. */
  public long requests() {
    return requests.get();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    if (QUOTA_PATH.equals(request.path()) || request.path().startsWith(SESSIONS_PATH)) {
      handleRealtime(request);
    } else if (!DecartRules.TOKEN_PATH.equals(request.path())) {
      send(request, Answer.detail(404, "Not Found"));
    } else if (request.method() != HttpMethod.POST) {
      request.response().putHeader("allow", "POST");
      send(request, Answer.detail(405, "Method Not Allowed"));
    } else {
      requests.incrementAndGet();
      request.body().onSuccess(body -> answerLater(request, answer(request.getHeader("x-api-key"), body)));
    }
  }

  /** {@code GET /v1/realtime/quota} (account key), {@code POST /v1/sim/sessions}, {@code DELETE …/{id}}. */
  private void handleRealtime(HttpServerRequest request) {
    if (QUOTA_PATH.equals(request.path()) && request.method() == HttpMethod.GET) {
      String apiKey = request.getHeader("x-api-key");
      Answer denied = keyFault(apiKey);
      send(request, denied != null ? denied : new Answer(200, sessions.quota(apiKey)));
    } else if (SESSIONS_PATH.equals(request.path()) && request.method() == HttpMethod.POST) {
      request.body().onSuccess(body -> {
        SimulatedSessions.Started started = sessions.start(clientKey(body));
        send(request, started.status() == 201 ? new Answer(201, new JsonObject().put("id", started.id()))
          : Answer.detail(started.status(), started.status() == 409 ? "Realtime capacity reached (1013)"
            : "Unknown or expired client key"));
      });
    } else if (request.path().startsWith(SESSIONS_PATH + "/") && request.method() == HttpMethod.DELETE) {
      boolean ended = sessions.end(request.path().substring(SESSIONS_PATH.length() + 1));
      if (ended) {
        request.response().setStatusCode(204).end();
      } else {
        send(request, Answer.detail(404, "No such session"));
      }
    } else {
      send(request, Answer.detail(404, "Not Found"));
    }
  }

  private static String clientKey(Buffer body) {
    try {
      return body.length() == 0 ? null : new JsonObject(body).getString("apiKey");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void answerLater(HttpServerRequest request, Answer answer) {
    if (options.latencyMs() > 0) {
      vertx.setTimer(options.latencyMs(), id -> send(request, answer));
    } else {
      send(request, answer);
    }
  }

  /** Decart's order: a failing server first, then the key, then the body. */
  private Answer answer(String apiKey, Buffer body) {
    if (options.errorRatio() > 0 && ThreadLocalRandom.current().nextDouble() < options.errorRatio()) {
      return Answer.detail(500, "Internal Server Error");
    }
    Answer denied = keyFault(apiKey);
    return denied != null ? denied : mint(apiKey, body);
  }

  /** Decart's key checks: none, a client key, or one it does not know; null when the key is good. */
  private Answer keyFault(String apiKey) {
    if (apiKey == null || apiKey.isEmpty()) {
      return Answer.detail(401, "No API key provided");
    }
    if (apiKey.startsWith("ek_")) {
      return Answer.detail(403, "Cannot create client token from a client token");
    }
    if (!options.acceptedKeys().isEmpty() && !options.acceptedKeys().contains(apiKey)) {
      return Answer.detail(401, "Invalid API key");
    }
    return null;
  }

  private Answer mint(String account, Buffer body) {
    Object json;
    try {
      json = body.length() == 0 ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      return Answer.detail(422, SimulatedValidation.jsonInvalid());
    }
    JsonArray violations = SimulatedValidation.validate(json);
    if (!violations.isEmpty()) {
      return Answer.detail(422, violations);
    }
    JsonObject token = token(json instanceof JsonObject object ? object : new JsonObject());
    sessions.minted(token.getString("apiKey"), account, Instant.parse(token.getString("expiresAt")),
      token.getJsonObject("constraints"));
    return new Answer(200, token);
  }

  private static JsonObject token(JsonObject request) {
    int expiresIn = request.getInteger("expiresIn", DecartRules.DEFAULT_EXPIRES_IN_SECONDS);
    Instant expiresAt = Instant.now().plusSeconds(expiresIn).truncatedTo(ChronoUnit.MILLIS);
    return new JsonObject()
      .put("apiKey", newClientKey())
      .put("token", null)
      .put("expiresAt", expiresAt.toString())
      .put("permissions", permissions(request))
      .put("constraints", request.getJsonObject("constraints"));
  }

  private static JsonObject permissions(JsonObject request) {
    JsonArray models = request.getJsonArray("allowedModels");
    JsonArray origins = request.getJsonArray("allowedOrigins");
    if (models == null && origins == null) {
      return null;
    }
    JsonObject permissions = new JsonObject();
    if (models != null) {
      permissions.put("allowedModels", models);
    }
    if (origins != null) {
      permissions.put("allowedOrigins", origins);
    }
    return permissions;
  }

  /** A fresh client key: {@code ek_} and 32 URL-safe random characters. */
  public static String newClientKey() {
    byte[] bytes = new byte[KEY_RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return "ek_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void send(HttpServerRequest request, Answer answer) {
    request.response().setStatusCode(answer.status())
      .putHeader("content-type", "application/json")
      .end(answer.body().encode());
  }

  /** {@code --port N --latency-ms M --error-ratio R --host H --session-limit S [--api-key K]...}; runs until killed. */
  public static void main(String[] args) {
    Logging.start(false, System.getenv());  // first: no static logger field, so this runs before Log4j starts
    Logger log = LogManager.getLogger(DecartSimulator.class);
    Options options;
    try {
      options = Options.fromArgs(args);
    } catch (IllegalArgumentException e) {
      log.error("Decart simulator: {}", e.getMessage());
      System.exit(2);
      return;
    }
    start(Vertx.vertx(), options)
      .onSuccess(simulator -> log.info("Decart simulator listening on {}", simulator.baseUrl()))
      .onFailure(failure -> {
        log.error("Decart simulator could not start: {}", failure.getMessage());
        System.exit(1);
      });
  }
}
