package io.tokengateway.policy;

import io.tokengateway.auth.Caller;
import io.tokengateway.tenant.RateLimit;
import io.tokengateway.tenant.SessionPolicy;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The policy stage: strict parse of a typical body, then the tenant's policy into the upstream bytes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyBench {

  private final Tenant tenant = new Tenant("acme", true, true, "DECART_API_KEY", null, 60, 300, List.of("lucy-pro-v2v", "mirage"),
    List.of("https://app.acme.example"), 600, new RateLimit(0, 100, 0), SessionPolicy.OFF, List.of());
  private final Caller caller = new Caller("acme", "user-1", "session-1", Long.MAX_VALUE);
  private final Buffer body = Buffer.buffer("{\"expiresIn\":120,\"allowedModels\":[\"mirage\"],\"metadata\":{\"plan\":\"pro\"}}");
  private final Buffer empty = Buffer.buffer();

  @Benchmark
  public Object typicalBody() {
    return PolicyEnforcer.apply(TokenRequest.parse(body), tenant, caller, "https://app.acme.example");
  }

  @Benchmark
  public Object emptyBody() {
    return PolicyEnforcer.apply(TokenRequest.parse(empty), tenant, caller, null);
  }
}
