package io.tokengateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Asserts the CONTRACT §6 problem+json shape and returns the body for further checks. */
public final class Problems {

  private Problems() {}

  public static JsonObject assertProblem(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("code")).isEqualTo(code);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).isEqualTo("about:blank");
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getString("requestId")).isNotBlank().isEqualTo(response.getHeader("x-request-id"));
    return problem;
  }
}
