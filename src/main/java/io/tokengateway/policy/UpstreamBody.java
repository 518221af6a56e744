package io.tokengateway.policy;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The exact JSON bytes sent to Decart (CONTRACT §5 "Upstream body"), produced only by
 * {@link PolicyEnforcer}: a request that reached the upstream stage has passed the tenant's policy. Also the
 * facts written into those bytes that later stages need, so none of them parses the bytes again: the token's
 * lifetime and the session cap stamped on it ({@code sessionSeconds} 0 = none) for session admission
 * (CONTRACT §12), its scope for the issuance ledger (CONTRACT §13; a list is null when the token is not scoped).
 */
public record UpstreamBody(Buffer json, int expiresIn, int sessionSeconds, List<String> allowedModels,
                           List<String> allowedOrigins) {

  /** A body whose facts nobody downstream needs (tests, tools). */
  public UpstreamBody(Buffer json) {
    this(json, 0, 0, null, null);
  }
}
