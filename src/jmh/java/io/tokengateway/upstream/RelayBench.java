package io.tokengateway.upstream;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The relay's check of Decart's answer (strict parse, ek_ key, expiresAt) before the same bytes go out. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RelayBench {

  private final Buffer answer = Buffer.buffer("{\"apiKey\":\"ek_8f2c1d9e7b6a5f4e3d2c1b0a9f8e7d6c\",\"token\":null,"
    + "\"expiresAt\":\"2026-11-27T23:10:00.000Z\",\"permissions\":null,\"constraints\":null}");

  @Benchmark
  public Object check() {
    return DecartClient.check(answer);
  }
}
