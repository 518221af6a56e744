package io.tokengateway.upstream;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.json.StrictJson;
import io.tokengateway.Version;
import io.tokengateway.config.DecartConfig;
import io.tokengateway.decart.DecartRules;
import io.tokengateway.policy.UpstreamBody;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import io.tokengateway.logging.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Calls Decart's {@code POST /v1/client/tokens} (CONTRACT §2) with the tenant's key and turns
 * every answer or fault into a {@link MintedToken} or a {@link GatewayException}: the only class
 * that sees upstream statuses and Netty exceptions (STYLE §6).
 */
public final class DecartClient {

  /** CONTRACT §5: the relay reads at most this much of Decart's answer. */
  public static final int MAX_ANSWER_BYTES = 64 * 1024;
  /** Failure reasons (a closed set: metrics labels); the first three are retried (CONTRACT §6). */
  static final String TIMEOUT = "timeout";
  static final String CONNECTION = "connection";
  static final String SERVER_ERROR = "server_error";
  static final String OTHER_SERVER_ERROR = "server_error_other";
  static final String BAD_ANSWER = "bad_answer";
  private static final Set<String> RETRYABLE = Set.of(TIMEOUT, CONNECTION, SERVER_ERROR);
  private static final Set<Integer> RETRYABLE_STATUSES = Set.of(500, 502, 503, 504);
  private static final Logger LOG = LogManager.getLogger(DecartClient.class);
  private static final String USER_AGENT = "token-gateway/" + Version.VALUE;

  private final Vertx vertx;
  private final WebClient client;
  private final String url;
  private final DecartConfig config;
  private final Resilience resilience;
  private final BoundedBody bodyCodec = new BoundedBody(MAX_ANSWER_BYTES);
  /** Attempts waiting for their HTTP request to exist, so that a cancelled call can reset it. Event-loop confined. */
  private final Map<HttpRequest<?>, Consumer<HttpClientRequest>> sending = new IdentityHashMap<>();

  /** {@code poolShare}: this instance's part of {@code decart.maxConnections}. */
  public DecartClient(Vertx vertx, DecartConfig config, Resilience resilience, int poolShare) {
    this.vertx = vertx;
    this.config = config;
    this.resilience = resilience;
    this.url = config.baseUrl() + DecartRules.TOKEN_PATH;
    WebClientOptions options = new WebClientOptions()
      .setFollowRedirects(false)           // a redirect would carry x-api-key to another host
      .setUserAgentEnabled(false)
      .setKeepAlive(true)
      .setConnectTimeout(config.connectTimeoutMs())
      .setDecompressionSupported(false);   // relayed byte for byte
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(poolShare));
    ((WebClientInternal) client).addInterceptor(this::captureRequest);
  }

  /**
   * The whole call (CONTRACT §6): in-flight cap first, then attempts with retries within the
   * deadline; {@code callerGone} completing cancels it and resets the attempt in flight.
   */
  public Future<MintedToken> createToken(Tenant tenant, UpstreamBody body, Forwarded forwarded,
                                        Future<Void> callerGone, UpstreamTrace trace) {
    try {
      resilience.admit();
    } catch (GatewayException full) {
      return Future.failedFuture(full);
    }
    UpstreamCall call = new UpstreamCall(vertx, resilience, config,
      (timeoutMs, sent) -> attempt(tenant, body, forwarded, timeoutMs, sent), trace);
    return call.run(callerGone).onComplete(done -> resilience.release());
  }

  private Future<MintedToken> attempt(Tenant tenant, UpstreamBody body, Forwarded forwarded, long timeoutMs,
                                      Consumer<HttpClientRequest> sent) {
    HttpRequest<Buffer> request = client.postAbs(url)
      .putHeader("x-api-key", tenant.apiKey())
      .putHeader("content-type", "application/json")
      .putHeader("user-agent", USER_AGENT)
      .putHeader("x-request-id", forwarded.requestId())
      .timeout(timeoutMs)
      .as(bodyCodec);
    if (forwarded.traceparent() != null) {
      request.putHeader("traceparent", forwarded.traceparent());
      if (forwarded.tracestate() != null) {
        request.putHeader("tracestate", forwarded.tracestate());
      }
    }
    sending.put(request, sent);
    return request.sendBuffer(body.json())
      .onComplete(done -> sending.remove(request))
      .recover(failure -> Future.failedFuture(classify(failure)))
      .map(response -> classify(response, tenant, forwarded));
  }

  private void captureRequest(HttpContext<?> context) {
    if (context.phase() == ClientPhase.SEND_REQUEST) {
      Consumer<HttpClientRequest> sent = sending.remove(context.request());
      if (sent != null) {
        sent.accept(context.clientRequest());
      }
    }
    context.next();
  }

  static boolean isRetryable(GatewayException failure) {
    return RETRYABLE.contains(failure.reason());
  }

  public void close() {
    client.close();
  }

  static MintedToken classify(HttpResponse<Buffer> response, Tenant tenant, Forwarded forwarded) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return check(response.body());
    }
    if (status == 401 || status == 403) {
      LOG.error(LogLine.of("Decart rejected the account key of tenant " + tenant.id() + " with " + status,
        forwarded.requestId(), forwarded.traceId()));
      throw new GatewayException(ErrorCode.UPSTREAM_AUTH_FAILED, "Decart rejected the gateway's credentials")
        .reason("auth_" + status);
    }
    if (status == 422) {
      throw GatewayException.upstreamRejected(UpstreamDetail.of(response.body()));
    }
    if (status == 429) {
      throw new GatewayException(ErrorCode.UPSTREAM_THROTTLED, "Decart is throttling token requests")
        .retryAfter(retryAfter(response.getHeader("retry-after")));
    }
    String reason = status >= 300 && status < 400 ? "redirect"
      : RETRYABLE_STATUSES.contains(status) ? SERVER_ERROR : status >= 500 ? OTHER_SERVER_ERROR : "unexpected_status";
    throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "Decart answered with status " + status).reason(reason);
  }

  /** CONTRACT §5: a JSON object whose apiKey is an {@code ek_} string and whose expiresAt is a string. */
  static MintedToken check(Buffer body) {
    try {
      String[] fields = StrictJson.rootStrings(body == null ? new byte[0] : body.getBytes(), "apiKey", "expiresAt");
      if (fields[0] != null && fields[0].startsWith("ek_") && fields[1] != null) {
        return new MintedToken(body, fields[0], fields[1]);
      }
    } catch (StrictJson.MalformedException e) {
      // falls through: not JSON is as bad as the wrong shape
    }
    throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "Decart's answer was not a client token").reason(BAD_ANSWER);
  }

  static GatewayException classify(Throwable failure) {
    if (failure instanceof GatewayException known) {
      return known;
    }
    if (failure instanceof TimeoutException) {
      return new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "Decart did not answer in time").reason(TIMEOUT);
    }
    if (failure instanceof BoundedBody.TooLarge) {
      return new GatewayException(ErrorCode.UPSTREAM_ERROR, "Decart's answer was too large").reason(BAD_ANSWER);
    }
    return new GatewayException(ErrorCode.UPSTREAM_ERROR, "Decart could not be reached").reason(CONNECTION);
  }

  private static long retryAfter(String header) {
    if (header != null) {
      try {
        return Math.max(1, Long.parseLong(header.trim()));
      } catch (NumberFormatException e) {
        // an HTTP-date or garbage: fall back to the default below
      }
    }
    return 1;
  }
}
