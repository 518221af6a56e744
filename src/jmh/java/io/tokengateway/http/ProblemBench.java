package io.tokengateway.http;

import io.tokengateway.GatewayException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Rendering a problem+json body (a 422 with field errors, the largest common one). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProblemBench {

  private final GatewayException failure = GatewayException.validation("expiresIn", "must be an integer from 1 to 3600");

  @Benchmark
  public Object validationProblem() {
    return ProblemResponder.body(failure, "0123456789abcdef0123456789abcdef");
  }
}
