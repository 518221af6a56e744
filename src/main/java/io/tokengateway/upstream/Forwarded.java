package io.tokengateway.upstream;

import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Pattern;

/**
 * The caller's headers that travel on to Decart: the request id and, when well-formed, the W3C
 * trace context ({@code traceparent}, {@code tracestate}), passed on unchanged.
 */
public record Forwarded(String requestId, String traceparent, String tracestate) {

  private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  /** W3C Trace Context: tracestate has at most 32 members of at most 256 characters each; cap the whole. */
  static final int MAX_TRACESTATE = 512;

  public static Forwarded of(String requestId, HttpServerRequest request) {
    String parent = request.getHeader("traceparent");
    String state = request.getHeader("tracestate");
    boolean validParent = parent != null && TRACEPARENT.matcher(parent).matches();
    boolean validState = validParent && state != null && state.length() <= MAX_TRACESTATE
      && state.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return new Forwarded(requestId, validParent ? parent : null, validState ? state : null);
  }

  /** The trace id of a well-formed {@code traceparent} (version-traceid-parentid-flags), for log lines; else null. */
  public String traceId() {
    return traceparent == null ? null : traceparent.substring(3, 35);
  }
}
