package io.tokengateway.policy;

import io.vertx.core.buffer.Buffer;

/**
 * The exact JSON bytes sent to Decart (CONTRACT §5 "Upstream body"), produced only by
 * {@link PolicyEnforcer}: a request that reached the upstream stage has passed the tenant's policy. Also the
 * two facts session admission needs (CONTRACT §12): the token's lifetime and the session cap stamped on it
 * ({@code sessionSeconds} 0 = none).
 */
public record UpstreamBody(Buffer json, int expiresIn, int sessionSeconds) {

  /** A body whose facts nobody downstream needs (tests, tools). */
  public UpstreamBody(Buffer json) {
    this(json, 0, 0);
  }
}
