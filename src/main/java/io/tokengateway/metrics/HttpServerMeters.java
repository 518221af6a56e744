package io.tokengateway.metrics;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * One HTTP server's metrics: its requests on {@link RequestMeters}, registered once; its connections and
 * websockets on vertx-micrometer's own server metrics. Routes are not recorded: {@code route} is not a default
 * label of vertx-micrometer.
 */
final class HttpServerMeters extends ConnectionMeters<HttpServerMetrics<Object, Object, Object>>
  implements HttpServerMetrics<RequestMetric, Object, Object> {

  private final RequestMeters meters;

  @SuppressWarnings("unchecked")
  HttpServerMeters(RequestMeters meters, HttpServerMetrics<?, ?, ?> micrometer) {
    super((HttpServerMetrics<Object, Object, Object>) micrometer);
    this.meters = meters;
  }

  @Override
  public RequestMetric requestBegin(Object socket, HttpRequest request) {
    return meters.method(request.method()).begin();
  }

  @Override
  public void requestEnd(RequestMetric metric, HttpRequest request, long bytesRead) {
    metric.requestEnd(bytesRead);
  }

  @Override
  public void requestReset(RequestMetric metric) {
    metric.method.reset();
    metric.reset();
  }

  @Override
  public RequestMetric responsePushed(Object socket, HttpMethod method, String uri, HttpResponse response) {
    return meters.unnamed().begin();
  }

  @Override
  public void responseEnd(RequestMetric metric, HttpResponse response, long bytesWritten) {
    metric.method.code(response.statusCode()).record(metric, bytesWritten);
    metric.responseEnd();
  }

  // vertx-micrometer's websocket gauge reads only the connection's labels, never the request's metric.
  @Override
  public Object connected(Object socket, RequestMetric metric, ServerWebSocket webSocket) {
    return micrometer.connected(socket, null, webSocket);
  }

  @Override
  public void disconnected(Object webSocket) {
    micrometer.disconnected(webSocket);
  }
}
