package io.tokengateway.policy;

import io.vertx.core.buffer.Buffer;

/**
 * The exact JSON bytes sent to Decart (CONTRACT §5 "Upstream body"), produced only by
 * {@link PolicyEnforcer}: a request that reached the upstream stage has passed the tenant's policy.
 */
public record UpstreamBody(Buffer json) {}
