package io.tokengateway.upstream;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why a call to Decart did not end in a relayed token: the closed set checked against CONTRACT §6
 * ("Retries") and §4 {@code decart.circuitBreaker}. Each value carries what the caller sees, whether
 * our loop retries it, whether it counts as Decart failing (breaker), and its metrics label.
 */
public enum UpstreamFault {
  //                    error code                         retried  failure  label
  TIMEOUT(              ErrorCode.UPSTREAM_TIMEOUT,        true,    true,    "timeout"),
  CONNECTION(           ErrorCode.UPSTREAM_ERROR,          true,    true,    "connection"),
  /** 500, 502, 503, 504. */
  SERVER_ERROR(         ErrorCode.UPSTREAM_ERROR,          true,    true,    "server_error"),
  /** Any other 5xx (501, 505, …): Decart is failing, but a retry would not help. */
  OTHER_SERVER_ERROR(   ErrorCode.UPSTREAM_ERROR,          false,   true,    "server_error_other"),
  /** A 2xx that is not a client token (or larger than 64 KiB). */
  BAD_ANSWER(           ErrorCode.UPSTREAM_ERROR,          false,   true,    "bad_answer"),
  /** Never followed: it would carry the account key to another host. */
  REDIRECT(             ErrorCode.UPSTREAM_ERROR,          false,   false,   "redirect"),
  /** A 4xx other than 401, 403, 422 and 429. */
  UNEXPECTED_STATUS(    ErrorCode.UPSTREAM_ERROR,          false,   false,   "unexpected_status"),
  /** 401/403 for every key of the account that was tried (CONTRACT §14). */
  KEY_REJECTED(         ErrorCode.UPSTREAM_AUTH_FAILED,    false,   false,   "key_rejected"),
  /** 422: Decart's own validation; its detail is relayed. */
  REJECTED(             ErrorCode.UPSTREAM_REJECTED,       false,   false,   "upstream_rejected"),
  /** 429: Decart's Retry-After is passed on. */
  THROTTLED(            ErrorCode.UPSTREAM_THROTTLED,      false,   false,   "throttled"),
  /** No call made: the circuit is open. */
  CIRCUIT_OPEN(         ErrorCode.UPSTREAM_UNAVAILABLE,    false,   false,   "circuit_open"),
  /** No call made: {@code decart.maxInFlight} calls are under way. */
  IN_FLIGHT_CAP(        ErrorCode.UPSTREAM_UNAVAILABLE,    false,   false,   "in_flight_cap"),
  /** The caller went away: the call stops; nothing is said about Decart. */
  CANCELLED(            ErrorCode.UPSTREAM_ERROR,          false,   false,   "cancelled");

  private static final Map<String, UpstreamFault> BY_LABEL = Arrays.stream(values())
    .collect(Collectors.toUnmodifiableMap(UpstreamFault::label, Function.identity()));

  private final ErrorCode code;
  private final boolean retried;
  private final boolean failure;
  private final String label;

  UpstreamFault(ErrorCode code, boolean retried, boolean failure, String label) {
    this.code = code;
    this.retried = retried;
    this.failure = failure;
    this.label = label;
  }

  public ErrorCode code() {
    return code;
  }

  /** CONTRACT §6: only connection errors, timeouts and 500/502/503/504 are retried. */
  public boolean retried() {
    return retried;
  }

  /** Counts as a failed attempt in the breaker's window; 4xx answers and redirects do not. */
  public boolean tripsBreaker() {
    return failure;
  }

  /** The metrics label ({@link GatewayException#reason()}). */
  public String label() {
    return label;
  }

  /** The caller-facing failure: this fault's code with a detail that never quotes Decart's answer. */
  public GatewayException error(String detail) {
    return new GatewayException(code, detail).reason(label);
  }

  /** The fault behind any failure of an attempt: ours (by label), a timeout, a bad answer, else the network. */
  static UpstreamFault of(Throwable failure) {
    if (failure instanceof GatewayException known) {
      return BY_LABEL.getOrDefault(known.reason(), CONNECTION);
    }
    if (failure instanceof TimeoutException) {
      return TIMEOUT;
    }
    return failure instanceof BoundedBody.TooLarge ? BAD_ANSWER : CONNECTION;
  }

  /** {@link #of} as the caller-facing failure. */
  static GatewayException asError(Throwable failure) {
    if (failure instanceof GatewayException known) {
      return known;
    }
    UpstreamFault fault = of(failure);
    return fault.error(switch (fault) {
      case TIMEOUT -> "Decart did not answer in time";
      case BAD_ANSWER -> "Decart's answer was too large";
      default -> "Decart could not be reached";
    });
  }
}
