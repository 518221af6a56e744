package io.tokengateway.sessions;

import io.netty.util.concurrent.FastThreadLocal;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Lease ids (CONTRACT §12): 144 random bits, 24 URL-safe characters, from a Hash_DRBG at 256-bit strength seeded
 * once per thread from the system's entropy source. One generator per thread: the default NativePRNG is one lock
 * for the whole JVM (1.3 µs per id with two event loops against 0.55 µs per thread, 2026-11-28). Each thread draws
 * {@link #IDS_PER_DRAW} ids' worth of bytes at a time: a DRBG call costs about three SHA-256 runs whatever its
 * size, and one call per id was ~0.9 % of the gateway's CPU (bench/README.md "Quiet-machine figures after round 3").
 */
final class LeaseIds {

  static final int BYTES = 18;
  static final int IDS_PER_DRAW = 64;
  private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
  private static final FastThreadLocal<LeaseIds> PER_THREAD = new FastThreadLocal<>() {
    @Override
    protected LeaseIds initialValue() {
      return new LeaseIds();
    }
  };

  private final SecureRandom random = newRandom();
  private final byte[] drawn = new byte[BYTES * IDS_PER_DRAW];
  private int next = drawn.length;

  private LeaseIds() {}

  static String next() {
    return PER_THREAD.get().take();
  }

  private String take() {
    if (next == drawn.length) {
      random.nextBytes(drawn);
      next = 0;
    }
    byte[] id = Arrays.copyOfRange(drawn, next, next + BYTES);
    next += BYTES;
    return URL_SAFE.encodeToString(id);
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(256, DrbgParameters.Capability.NONE, null));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no DRBG in this JVM", e);  // every Java 9+ runtime has one
    }
  }
}
