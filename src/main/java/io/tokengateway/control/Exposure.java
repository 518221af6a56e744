package io.tokengateway.control;

import io.vertx.core.json.JsonObject;

/**
 * What a block cannot revoke (CONTRACT §13 {@code exposure}): tokens of the scope still before their
 * {@code expiresAt}, the last of those times, and the latest moment a session they allowed can end
 * (0 = none). Summed over the nodes' answers.
 */
record Exposure(long liveTokens, long lastExpiresAt, long sessionsEndBy) {

  static final Exposure NONE = new Exposure(0, 0, 0);

  /** Adds one live entry: its {@code expiresAt} and {@code sessionEndsBy}. */
  Exposure plus(long expiresAt, long sessionEndsBy, long now) {
    boolean usable = expiresAt > now;
    return new Exposure(liveTokens + (usable ? 1 : 0), usable ? Math.max(lastExpiresAt, expiresAt)
      : lastExpiresAt, Math.max(sessionsEndBy, sessionEndsBy));
  }

  Exposure plus(Exposure other) {
    return new Exposure(liveTokens + other.liveTokens, Math.max(lastExpiresAt, other.lastExpiresAt),
      Math.max(sessionsEndBy, other.sessionsEndBy));
  }

  JsonObject toJson() {
    return new JsonObject().put("liveTokens", liveTokens)
      .put("lastExpiresAt", lastExpiresAt == 0 ? null : LedgerEntry.iso(lastExpiresAt))
      .put("sessionsEndBy", sessionsEndBy == 0 ? null : LedgerEntry.iso(sessionsEndBy));
  }

  static Exposure fromJson(JsonObject json) {
    return new Exposure(json.getLong("liveTokens"), json.getLong("lastExpiresAt"), json.getLong("sessionsEndBy"));
  }

  JsonObject toWire() {
    return new JsonObject().put("liveTokens", liveTokens).put("lastExpiresAt", lastExpiresAt)
      .put("sessionsEndBy", sessionsEndBy);
  }
}
