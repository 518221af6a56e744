package io.tokengateway.auth;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.config.JwtConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.time.Clock;
import java.util.List;
import org.apache.logging.log4j.LogManager;

/**
 * Turns the Authorization header into a verified {@link Caller} (CONTRACT §5): bearer extraction,
 * structural checks, claim checks, then the signature. The only class that sees JWT-library errors;
 * every failure leaves as a {@link GatewayException}. Stateless: one instance serves all event loops.
 */
public final class Authenticator {

  private static final String BEARER = "bearer ";

  private final JwtConfig config;
  private final JwtKeys keys;
  private final SessionClaims claims;
  private final VerifiedTokens verified;
  private final Clock clock;

  public Authenticator(JwtConfig config, JwtKeys keys) {
    this(config, keys, Clock.systemUTC());
  }

  Authenticator(JwtConfig config, JwtKeys keys, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.claims = new SessionClaims(config);
    this.verified = new VerifiedTokens(config.clockSkewSeconds());
    this.clock = clock;
    if (config.allowAnyAudience()) {
      LogManager.getLogger(Authenticator.class).warn("jwt.allowAnyAudience is true: session tokens issued for any "
        + "audience are accepted, including ones your identity provider made for other applications");
    }
  }

  /** {@code authorizationHeaderValues}: every Authorization header of the request, in order. */
  public Future<Caller> authenticate(List<String> authorizationHeaderValues) {
    try {
      Bearer bearer = bearer(authorizationHeaderValues);
      long now = clock.millis() / 1000;
      KeySet keySet = keys.current();
      VerifiedTokens.Key key = bearer.to() - bearer.from() <= JwtParts.MAX_TOKEN_CHARS
        ? VerifiedTokens.key(bearer.header(), bearer.from(), bearer.to()) : null;
      Caller known = key == null ? null : verified.lookup(key, keySet, now);
      if (known != null) {
        return Future.succeededFuture(known);
      }
      JwtParts token = JwtParts.parse(bearer.token(), config);
      Caller caller = claims.check(token.payload(), now);
      return verify(token).map(v -> {
        if (key != null) {
          verified.remember(key, caller, SessionClaims.notBefore(token.payload()), keySet);
        }
        return caller;
      });
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return Future.failedFuture(TokenFault.MALFORMED.error());
    }
  }

  /** The token within the Authorization header: {@code header.substring(from, to)}, copied only when parsed. */
  private record Bearer(String header, int from, int to) {
    String token() {
      return header.substring(from, to);
    }
  }

  /** Exactly one header, scheme {@code Bearer} in any case, a non-empty token; whitespace around each is ignored. */
  private static Bearer bearer(List<String> values) {
    if (values == null || values.isEmpty()) {
      throw missing();
    }
    if (values.size() > 1) {
      throw TokenFault.MULTIPLE_HEADERS.error();
    }
    String header = values.get(0) == null ? "" : values.get(0);
    int end = header.length();
    while (end > 0 && Character.isWhitespace(header.charAt(end - 1))) {
      end--;
    }
    int scheme = skipWhitespace(header, 0, end);
    if (end - scheme < BEARER.length() || !header.regionMatches(true, scheme, BEARER, 0, BEARER.length())) {
      throw missing();
    }
    int from = skipWhitespace(header, scheme + BEARER.length(), end);
    if (from == end) {
      throw missing();
    }
    return new Bearer(header, from, end);
  }

  private static int skipWhitespace(String text, int from, int end) {
    while (from < end && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    return from;
  }

  private static GatewayException missing() {
    return new GatewayException(ErrorCode.MISSING_TOKEN, "send the session token as Authorization: Bearer <token>");
  }

  /**
   * Checks the signature; a kid the set lacks triggers the one rate-limited JWKS refetch first. A kid the
   * set has, under an algorithm its key does not fit, is the token's fault: no fetch (CONTRACT §5).
   */
  private Future<Void> verify(JwtParts token) {
    KeySet current = keys.current();
    if (current != null && current.has(token.alg(), token.kid())) {
      return checkSignature(current, token);
    }
    if (!keys.refetchable() || current != null && current.knows(token.kid())) {
      return Future.failedFuture(TokenFault.ALGORITHM.error());
    }
    return onCallerContext(keys.refetchForUnknownKid().compose(v -> afterRefetch(token)));
  }

  private Future<Void> afterRefetch(JwtParts token) {
    KeySet current = keys.current();
    if (current != null && current.has(token.alg(), token.kid())) {
      return checkSignature(current, token);
    }
    if (keys.unavailable()) {
      return Future.failedFuture(new GatewayException(ErrorCode.AUTH_UNAVAILABLE,
        "the signing keys cannot be fetched right now").retryAfter(keys.retryAfterSeconds()));
    }
    return Future.failedFuture(TokenFault.UNKNOWN_KEY.error());
  }

  /** JWTAuth re-parses leniently and may throw; our checks already ran, so any refusal is the signature's. */
  private static Future<Void> checkSignature(KeySet current, JwtParts token) {
    try {
      return current.auth().authenticate(new TokenCredentials(token.token())).transform(ar -> ar.succeeded()
        ? Future.<Void>succeededFuture() : Future.failedFuture(signatureFault(ar.cause()).error()));
    } catch (RuntimeException e) {
      return Future.failedFuture(TokenFault.SIGNATURE.error());
    }
  }

  private static TokenFault signatureFault(Throwable cause) {
    return cause instanceof NoSuchKeyIdException ? TokenFault.UNKNOWN_KEY : TokenFault.SIGNATURE;
  }

  /** A JWKS fetch completes on whichever event loop ran it; hand the outcome back to the caller's. */
  private static <T> Future<T> onCallerContext(Future<T> result) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }
}
