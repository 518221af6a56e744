package io.tokengateway.http;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.metrics.GatewayMetrics;
import io.tokengateway.stats.Outcome;
import io.tokengateway.stats.OutcomeFeed;

/**
 * Reports each token request once (CONTRACT §7): the outcome event to the stats verticle
 * (local, fire-and-forget), the metrics, and the access-log line. Unauthenticated requests count
 * only as auth failures: their claims are not trusted, so no tenant is named.
 */
final class Reporter {

  /** Callers whose tenant claim names no configured tenant share one bucket (bounded cardinality). */
  static final String UNKNOWN_TENANT = "_unknown";

  private final OutcomeFeed outcomes;
  private final GatewayMetrics metrics;

  Reporter(OutcomeFeed outcomes, GatewayMetrics metrics) {
    this.outcomes = outcomes;
    this.metrics = metrics;
  }

  void issued(Exchange exchange) {
    report(exchange, Outcome.Kind.ISSUED, 200, null, null);
  }

  void refused(Exchange exchange, GatewayException failure) {
    ErrorCode code = failure.code();
    if (exchange.caller == null) {
      metrics.authFailure(failure.reason());
      AccessLog.log(exchange, code.status(), code.code(), null);
      return;
    }
    report(exchange, code.isFailure() ? Outcome.Kind.FAILED : Outcome.Kind.DENIED, code.status(), code.code(), failure);
  }

  private void report(Exchange exchange, Outcome.Kind kind, int status, String code, GatewayException failure) {
    Outcome outcome = new Outcome(tenantKey(exchange, failure), kind, code, status, exchange.upstream.nanos(),
      exchange.upstream.attempts());
    metrics.record(outcome);
    outcomes.send(outcome);
    AccessLog.log(exchange, status, code, outcome);
  }

  private static String tenantKey(Exchange exchange, GatewayException failure) {
    if (exchange.tenant != null) {
      return exchange.tenant.statsKey();
    }
    boolean configured = failure != null && failure.code() == ErrorCode.TENANT_DISABLED;
    return configured ? exchange.caller.tenantId() : UNKNOWN_TENANT;
  }
}
