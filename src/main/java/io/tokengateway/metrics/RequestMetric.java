package io.tokengateway.metrics;

/**
 * One HTTP request between its metrics callbacks (server or client), with the flags of vertx-micrometer 5.0.7's
 * class of the same name: a request leaves the in-flight count once, when its request and its response have both
 * ended or at a reset, whichever comes first.
 */
final class RequestMetric {
  final RequestMeters.Method method;
  final long startNanos = System.nanoTime();
  /** The client's response meters, chosen when the response begins. */
  RequestMeters.Code code;
  private boolean requestEnded;
  private boolean responseEnded;
  private boolean reset;

  RequestMetric(RequestMeters.Method method) {
    this.method = method;
  }

  void requestEnd(long bytes) {
    method.requestBytes(bytes);
    requestEnded = true;
    if (!reset && responseEnded) {
      method.ended();
    }
  }

  void responseEnd() {
    responseEnded = true;
    if (!reset && requestEnded) {
      method.ended();
    }
  }

  void reset() {
    method.ended();
    reset = true;
  }
}
