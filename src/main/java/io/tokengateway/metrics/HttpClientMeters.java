package io.tokengateway.metrics;

import io.vertx.core.http.WebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * One HTTP client's metrics: its requests on {@link RequestMeters}, registered once; its connections and
 * websockets on vertx-micrometer's own client metrics. The connection pools' meters do not pass here: Vert.x
 * asks {@code VertxMetrics.createPoolMetrics} for them, which stays vertx-micrometer's.
 */
final class HttpClientMeters extends ConnectionMeters<HttpClientMetrics<Object, Object, Object>>
  implements HttpClientMetrics<RequestMetric, Object, Object> {

  /** With the default labels an endpoint adds none (no {@code remote}): every endpoint shares these. */
  private final Endpoint endpoint;

  @SuppressWarnings("unchecked")
  HttpClientMeters(RequestMeters meters, HttpClientMetrics<?, ?, ?> micrometer) {
    super((HttpClientMetrics<Object, Object, Object>) micrometer);
    this.endpoint = new Endpoint(meters);
  }

  @Override
  public ClientMetrics<RequestMetric, HttpRequest, HttpResponse> createEndpointMetrics(SocketAddress remote,
                                                                                    int poolSize) {
    return endpoint;
  }

  @Override
  public Object connected(WebSocket webSocket) {
    return micrometer.connected(webSocket);
  }

  @Override
  public void disconnected(Object webSocket) {
    micrometer.disconnected(webSocket);
  }

  /** The requests to one server, recorded as vertx-micrometer's {@code EndpointMetrics} records them. */
  private record Endpoint(RequestMeters meters) implements ClientMetrics<RequestMetric, HttpRequest, HttpResponse> {

    @Override
    public RequestMetric requestBegin(String uri, HttpRequest request) {
      return meters.method(request.method()).begin();
    }

    @Override
    public void requestEnd(RequestMetric metric, long bytesWritten) {
      metric.requestEnd(bytesWritten);
    }

    @Override
    public void requestReset(RequestMetric metric) {
      metric.reset();
    }

    @Override
    public void responseBegin(RequestMetric metric, HttpResponse response) {
      metric.code = metric.method.code(response.statusCode());
    }

    @Override
    public void responseEnd(RequestMetric metric, long bytesRead) {
      metric.responseEnd();
      RequestMeters.Code code = metric.code;
      (code != null ? code : metric.method.uncoded()).record(metric, bytesRead);
    }
  }
}
