package io.tokengateway.control;

import io.tokengateway.json.IsoTime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One issued token as the ledger keeps it (CONTRACT §13): who got it, when it stops being usable, the
 * scope Decart was asked for, and {@code keyHash} (the first 16 hex digits of the SHA-256 of the
 * {@code ek_} key), never the key. Times are epoch millis; lists are null when the token is not scoped.
 * {@code seq} is this node's issuance order.
 */
record LedgerEntry(long seq, String requestId, String tenant, String user, String sessionId, long issuedAt,
                   long expiresAt, long sessionEndsBy, List<String> allowedModels, List<String> allowedOrigins,
                   String leaseId, String keyHash, String node) {

  JsonObject toJson() {
    return new JsonObject().put("requestId", requestId).put("tenant", tenant).put("user", user)
      .put("sessionId", sessionId).put("issuedAt", iso(issuedAt)).put("expiresAt", iso(expiresAt))
      .put("sessionEndsBy", iso(sessionEndsBy))
      .put("allowedModels", allowedModels == null ? null : new JsonArray(allowedModels))
      .put("allowedOrigins", allowedOrigins == null ? null : new JsonArray(allowedOrigins))
      .put("leaseId", leaseId).put("keyHash", keyHash).put("node", node);
  }

  /** As {@code Instant.toString}. */
  static String iso(long epochMillis) {
    return IsoTime.format(epochMillis);
  }
}
