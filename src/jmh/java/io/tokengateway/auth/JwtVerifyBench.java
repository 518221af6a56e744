package io.tokengateway.auth;

import io.tokengateway.config.ConfigLoader;
import io.tokengateway.config.JwtConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The authenticate stage with an RS256 key from a PEM file: a cache hit, and a full (cold) verification. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JwtVerifyBench {

  private Vertx vertx;
  private Authenticator authenticator;
  private JwtConfig config;
  private KeySet keySet;
  private List<String> header;
  private String token;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Path pem = Files.createTempFile("bench", ".pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
      + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    vertx = Vertx.vertx();
    config = ConfigLoader.parse(new JsonObject().put("jwt", new JsonObject().put("publicKeyFile", pem.toString())
      .put("algorithms", new JsonArray().add("RS256")).put("allowAnyAudience", true)), Map.of()).jwt();
    JwtKeys keys = JwtKeys.start(vertx, config, Map.of(), 0).toCompletionStage().toCompletableFuture().get();
    keySet = keys.current();
    authenticator = new Authenticator(config, keys);
    token = sign(pair, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", "{\"sub\":\"u1\",\"tenant_id\":\"t1\",\"sid\":\"s1\",\"exp\":"
      + (System.currentTimeMillis() / 1000 + 3600) + "}");
    header = List.of("Bearer " + token);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vertx.close();
  }

  /** The same token again: SHA-256 of it and a cache lookup. */
  @Benchmark
  public Object cached() {
    return authenticator.authenticate(header).result();
  }

  /** Every check of a first sight: structure, strict JSON, claims and the RSA signature. */
  @Benchmark
  public Object cold() {
    JwtParts parts = JwtParts.parse(token, config);
    new SessionClaims(config).check(parts.payload(), System.currentTimeMillis() / 1000);
    return keySet.auth().authenticate(new io.vertx.ext.auth.authentication.TokenCredentials(token)).result();
  }

  private static String sign(KeyPair pair, String header, String payload) throws Exception {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String input = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
      + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(pair.getPrivate());
    rsa.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + url.encodeToString(rsa.sign());
  }
}
