package io.tokengateway.control;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.http.ProblemResponder;
import io.tokengateway.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Admin authentication (CONTRACT §13), a vertx-web handler for every {@code /admin/…} route and the
 * dashboard's actions. With tokens configured: {@code Authorization: Bearer <one of them>}, else 401
 * {@code missing_token} / {@code invalid_token}. Without: reads pass, writes are 403 {@code admin_disabled}.
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every configured
 * token, so neither the length nor the position of a match shows in the time taken.
 */
public final class AdminAuth implements Handler<RoutingContext> {

  private static final String POSITION = "token-gateway.adminToken";
  private static final String BEARER = "bearer ";

  private final List<byte[]> digests;
  private final Audit audit;

  AdminAuth(List<String> tokens, Audit audit) {
    this.digests = tokens.stream().map(AdminAuth::sha256).toList();
    this.audit = audit;
  }

  /** False when {@code management.adminTokenEnv} is not set: read-only admin. */
  public boolean enabled() {
    return !digests.isEmpty();
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      int position = authenticate(ctx);
      ctx.put(POSITION, position);
      ctx.next();
    } catch (GatewayException refused) {
      String requestId = RequestIds.of(ctx.request());
      audit.refused(ctx.request().method().name(), ctx.normalizedPath(), refused.code().code(), requestId);
      ProblemResponder.respond(ctx.response(), refused, requestId);
    }
  }

  /** The 1-based position of the admin token the request carried; 0 in read-only mode. */
  public static int tokenPosition(RoutingContext ctx) {
    Integer position = ctx.get(POSITION);
    return position == null ? 0 : position;
  }

  private int authenticate(RoutingContext ctx) {
    if (!enabled()) {
      HttpMethod method = ctx.request().method();
      if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
        return 0;
      }
      throw new GatewayException(ErrorCode.ADMIN_DISABLED,
        "admin writes are disabled: management.adminTokenEnv is not set");
    }
    List<String> headers = ctx.request().headers().getAll("authorization");
    if (headers.size() > 1) {
      throw new GatewayException(ErrorCode.INVALID_TOKEN, "more than one Authorization header");
    }
    String header = headers.isEmpty() ? "" : headers.get(0);
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
      throw new GatewayException(ErrorCode.MISSING_TOKEN, "an admin bearer token is required");
    }
    int position = match(header.substring(BEARER.length()).trim());
    if (position == 0) {
      throw new GatewayException(ErrorCode.INVALID_TOKEN, "the admin token is not valid");
    }
    return position;
  }

  private int match(String presented) {
    byte[] digest = sha256(presented);
    int position = 0;
    for (int i = 0; i < digests.size(); i++) {
      if (MessageDigest.isEqual(digests.get(i), digest) && position == 0) {
        position = i + 1;
      }
    }
    return position;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
