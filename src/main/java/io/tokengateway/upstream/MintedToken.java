package io.tokengateway.upstream;

import io.vertx.core.buffer.Buffer;

/**
 * A checked 2xx answer from Decart: the exact bytes to relay (never re-serialized, CONTRACT §5)
 * and the two fields the legacy endpoint reshapes. {@code toString} never prints the key.
 */
public record MintedToken(Buffer body, String apiKey, String expiresAt) {
  @Override
  public String toString() {
    return "MintedToken[expiresAt=" + expiresAt + ", bytes=" + body.length() + "]";
  }
}
