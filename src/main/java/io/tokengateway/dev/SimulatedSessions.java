package io.tokengateway.dev;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's realtime side (CONTRACT §12 "Development mode"): the client keys it minted, the sessions
 * running on them per account, and {@code /v1/realtime/quota}'s answer. A session ends when deleted or when it
 * reaches its token's {@code maxSessionDuration}; starting one over the account's limit is refused (409), as
 * Decart closes the WebSocket with 1013.
 */
final class SimulatedSessions {

  /** How often minted keys that expired are forgotten. */
  static final long PRUNE_MS = 10_000;
  /** Keys remembered at most (~200 bytes each): a load test minting thousands a second must not fill the heap. */
  static final int MAX_TRACKED_KEYS = 100_000;

  /** A minted client key: its account, when it stops starting sessions, the session cap it carries (0 = none). */
  private record Minted(String account, Instant expiresAt, int maxSessionSeconds) {}

  private record Running(String account, long timer) {}

  /** What starting a session came to: 201 with its id, 401 for an unknown or expired key, 409 when full. */
  record Started(int status, String id) {}

  private final Vertx vertx;
  private final int limit;
  private final Map<String, Minted> minted = new ConcurrentHashMap<>();
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();

  SimulatedSessions(Vertx vertx, int limit) {
    this.vertx = vertx;
    this.limit = limit;
    vertx.setPeriodic(PRUNE_MS, id -> minted.values().removeIf(key -> key.expiresAt().isBefore(Instant.now())));
  }

  void minted(String clientKey, String account, Instant expiresAt, JsonObject constraints) {
    JsonObject realtime = constraints == null ? null : constraints.getJsonObject("realtime");
    int cap = realtime == null ? 0 : realtime.getInteger("maxSessionDuration", 0);
    if (minted.size() < MAX_TRACKED_KEYS) {  // beyond, a key simply cannot start a simulated session (401)
      minted.put(clientKey, new Minted(account, expiresAt, cap));
    }
  }

  Started start(String clientKey) {
    Minted key = clientKey == null ? null : minted.get(clientKey);
    if (key == null || key.expiresAt().isBefore(Instant.now())) {
      return new Started(401, null);
    }
    AtomicInteger count = active.computeIfAbsent(key.account(), a -> new AtomicInteger());
    if (count.incrementAndGet() > limit) {
      count.decrementAndGet();
      return new Started(409, null);
    }
    String id = UUID.randomUUID().toString();
    long timer = key.maxSessionSeconds() > 0 ? vertx.setTimer(key.maxSessionSeconds() * 1000L, t -> end(id)) : -1;
    running.put(id, new Running(key.account(), timer));
    return new Started(201, id);
  }

  boolean end(String id) {
    Running session = running.remove(id);
    if (session == null) {
      return false;
    }
    vertx.cancelTimer(session.timer());
    active.get(session.account()).decrementAndGet();
    return true;
  }

  JsonObject quota(String account) {
    int now = active.getOrDefault(account, new AtomicInteger()).get();
    return new JsonObject().put("limit", limit).put("active", now).put("remaining", Math.max(0, limit - now));
  }
}
