package io.tokengateway;

import java.util.List;

/**
 * The one failure type past the boundaries (STYLE §5): carries an {@link ErrorCode}, a
 * caller-safe detail and the code's optional extras. Stackless: it is control flow, not a bug.
 */
public final class GatewayException extends RuntimeException {

  /** One entry of a 422's {@code errors} list. */
  public record FieldError(String field, String message) {}

  private final ErrorCode code;
  private final List<FieldError> errors;
  private final Object upstreamDetail;
  private final long retryAfterSeconds;
  private final String reason;

  private GatewayException(ErrorCode code, String detail, List<FieldError> errors,
                           Object upstreamDetail, long retryAfterSeconds, String reason) {
    super(detail, null, false, false);
    this.code = code;
    this.errors = errors;
    this.upstreamDetail = upstreamDetail;
    this.retryAfterSeconds = retryAfterSeconds;
    this.reason = reason;
  }

  public GatewayException(ErrorCode code, String detail) {
    this(code, detail, List.of(), null, 0, code.code());
  }

  public static GatewayException validation(List<FieldError> errors) {
    String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
      : errors.size() + " fields are invalid";
    return new GatewayException(ErrorCode.VALIDATION_FAILED, detail, List.copyOf(errors), null, 0, null);
  }

  public static GatewayException validation(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  public static GatewayException upstreamRejected(Object upstreamDetail) {
    return new GatewayException(ErrorCode.UPSTREAM_REJECTED, "Decart rejected the token request",
      List.of(), upstreamDetail, 0, null);
  }

  public GatewayException retryAfter(long seconds) {
    return new GatewayException(code, getMessage(), errors, upstreamDetail, Math.max(1, seconds), reason);
  }

  /** A finer cause from a closed set, for metrics labels (e.g. {@code expired} for an invalid token). */
  public GatewayException reason(String reason) {
    return new GatewayException(code, getMessage(), errors, upstreamDetail, retryAfterSeconds, reason);
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** Decart's own 422 {@code detail}, relayed as {@code upstreamDetail}; null otherwise. */
  public Object upstreamDetail() {
    return upstreamDetail;
  }

  /** The metrics label: the finer cause when one was given, else the error code. */
  public String reason() {
    return reason == null ? code.code() : reason;
  }

  /** Seconds for {@code Retry-After}; 0 = no header. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
