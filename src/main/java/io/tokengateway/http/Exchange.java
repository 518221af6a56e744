package io.tokengateway.http;

import io.tokengateway.auth.Caller;
import io.tokengateway.tenant.Tenant;
import io.tokengateway.upstream.Forwarded;
import io.tokengateway.upstream.UpstreamTrace;
import io.vertx.core.http.HttpServerRequest;

/**
 * One token request's facts as the stages establish them (who, which tenant, what the upstream
 * call cost), for the single report at the end. Confined to the request's event loop.
 */
final class Exchange {

  final HttpServerRequest request;
  final String requestId;
  final long startNanos = System.nanoTime();
  final UpstreamTrace upstream = new UpstreamTrace();
  Caller caller;
  Tenant tenant;
  private Forwarded forwarded;

  Exchange(HttpServerRequest request, String requestId) {
    this.request = request;
    this.requestId = requestId;
  }

  Caller authenticated(Caller caller) {
    this.caller = caller;
    return caller;
  }

  Tenant resolved(Tenant tenant) {
    this.tenant = tenant;
    return tenant;
  }

  /** The ids passed on to Decart and named in the access line, read from the request once. */
  Forwarded forwarded() {
    if (forwarded == null) {
      forwarded = Forwarded.of(requestId, request);
    }
    return forwarded;
  }
}
