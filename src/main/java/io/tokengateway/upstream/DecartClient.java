package io.tokengateway.upstream;

import io.tokengateway.GatewayException;
import io.tokengateway.json.StrictJson;
import io.tokengateway.Version;
import io.tokengateway.config.DecartConfig;
import io.tokengateway.decart.DecartRules;
import io.tokengateway.policy.UpstreamBody;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Set;

/**
 * Calls Decart's {@code POST /v1/client/tokens} (CONTRACT §2) with the tenant's key and turns
 * every answer or fault into a {@link MintedToken} or a {@link GatewayException}: the only class
 * that sees upstream statuses and Netty exceptions (STYLE §6).
 */
public final class DecartClient {

  /** CONTRACT §5: the relay reads at most this much of Decart's answer. */
  public static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final Set<Integer> RETRIED_STATUSES = Set.of(500, 502, 503, 504);
  // Header names with their hash computed once (Netty AsciiString): the upstream request adds up to six per attempt.
  private static final CharSequence X_API_KEY = HttpHeaders.createOptimized("x-api-key");
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence USER_AGENT_HEADER = HttpHeaders.createOptimized("user-agent");
  private static final CharSequence USER_AGENT_VALUE = HttpHeaders.createOptimized("token-gateway/" + Version.VALUE);
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  private static final CharSequence TRACESTATE = HttpHeaders.createOptimized("tracestate");

  private final Vertx vertx;
  private final WebClient client;
  private final Target target;
  private final DecartConfig config;
  private final Resilience resilience;
  private final AccountKeys keys;
  private final BoundedBody bodyCodec = new BoundedBody(MAX_ANSWER_BYTES);

  /** {@code poolShare}: this instance's part of {@code decart.maxConnections}. */
  public DecartClient(Vertx vertx, DecartConfig config, Resilience resilience, AccountKeys keys, int poolShare) {
    this.vertx = vertx;
    this.config = config;
    this.resilience = resilience;
    this.keys = keys;
    this.target = Target.of(config.baseUrl() + DecartRules.TOKEN_PATH);
    WebClientOptions options = new WebClientOptions()
      .setFollowRedirects(false)           // a redirect would carry x-api-key to another host
      .setUserAgentEnabled(false)
      .setKeepAlive(true)
      .setConnectTimeout(config.connectTimeoutMs())
      .setDecompressionSupported(false);   // relayed byte for byte
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(poolShare));
  }

  /**
   * The whole call (CONTRACT §6, §14): in-flight cap first, then attempts with retries (and the account's
   * other keys) within the deadline; {@code callerGone} completing ends it.
   */
  public Future<MintedToken> createToken(Tenant tenant, UpstreamBody body, Forwarded forwarded,
                                        Future<Void> callerGone, UpstreamTrace trace) {
    KeyRing ring = keys.ring(tenant.account());
    try {
      resilience.admit();
    } catch (GatewayException full) {
      return Future.failedFuture(full);
    }
    UpstreamCall call = new UpstreamCall(vertx, resilience, config, ring,
      (key, timeoutMs) -> attempt(key, body, forwarded, timeoutMs), trace, forwarded);
    return call.run(callerGone).onComplete(done -> resilience.release());
  }

  /** One POST; its {@code timeout} (until the response head) also ends an attempt whose caller left. */
  private Future<MintedToken> attempt(String key, UpstreamBody body, Forwarded forwarded, long timeoutMs) {
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, target.port(), target.host(), target.path())
      .ssl(target.ssl())
      .timeout(timeoutMs)
      .as(bodyCodec);
    MultiMap headers = request.headers()
      .add(X_API_KEY, key)
      .add(CONTENT_TYPE, JSON)
      .add(USER_AGENT_HEADER, USER_AGENT_VALUE)
      .add(X_REQUEST_ID, forwarded.requestId());
    if (forwarded.traceparent() != null) {
      headers.add(TRACEPARENT, forwarded.traceparent());
      if (forwarded.tracestate() != null) {
        headers.add(TRACESTATE, forwarded.tracestate());
      }
    }
    return request.sendBuffer(body.json())
      .recover(failure -> Future.failedFuture(UpstreamFault.asError(failure)))
      .map(DecartClient::classify);
  }

  public void close() {
    client.close();
  }

  /**
   * Decart's token URL taken apart once, as WebClient's {@code postAbs} did on every attempt (a {@code java.net.URL}
   * parsed per request): the scheme's default port when none is given, TLS for {@code https}.
   */
  record Target(boolean ssl, String host, int port, String path) {
    static Target of(String url) {
      URL parsed;
      try {
        parsed = new URL(url);
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("not a URL: " + url, e);  // decart.baseUrl was checked when loaded
      }
      boolean ssl = "https".equalsIgnoreCase(parsed.getProtocol());
      int port = parsed.getPort() != -1 ? parsed.getPort() : ssl ? 443 : 80;
      return new Target(ssl, parsed.getHost(), port, parsed.getFile());
    }
  }

  static MintedToken classify(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return check(response.body());
    }
    throw switch (status) {
      case 401, 403 -> UpstreamFault.KEY_REJECTED.error("Decart rejected the gateway's credentials");
      case 422 -> GatewayException.upstreamRejected(UpstreamDetail.of(response.body()));
      case 429 -> UpstreamFault.THROTTLED.error("Decart is throttling token requests")
        .retryAfter(retryAfter(response.getHeader("retry-after")));
      default -> faultOf(status).error("Decart answered with status " + status);
    };
  }

  private static UpstreamFault faultOf(int status) {
    if (status >= 300 && status < 400) {
      return UpstreamFault.REDIRECT;
    }
    if (status >= 500) {
      return RETRIED_STATUSES.contains(status) ? UpstreamFault.SERVER_ERROR : UpstreamFault.OTHER_SERVER_ERROR;
    }
    return UpstreamFault.UNEXPECTED_STATUS;
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
    throw UpstreamFault.BAD_ANSWER.error("Decart's answer was not a client token");
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
