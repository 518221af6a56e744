package io.tokengateway.sessions;

import io.tokengateway.Version;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Decart's view of each account in use (CONTRACT §12): {@code GET /v1/realtime/quota} every
 * {@code quotaPollSeconds} with the account's key, on a timer, never on the request path. A failed poll keeps
 * the last good answer and records its error; nothing here ever makes the pod unready.
 */
final class QuotaPoller {

  static final String PATH = "/v1/realtime/quota";
  /** A poll that has no answer within this (or within the poll interval, if shorter) counts as failed. */
  static final int TIMEOUT_MS = 2000;
  private static final Logger LOG = LogManager.getLogger(QuotaPoller.class);

  /** The latest good answer ({@code polledAtMs} 0 = none yet) and the latest failure, if it came after it. */
  record Quota(int limit, int active, int remaining, long polledAtMs, String error, long errorAtMs) {
    static final Quota NONE = new Quota(0, 0, 0, 0, null, 0);

    boolean known() {
      return polledAtMs > 0;
    }

    JsonObject health(long nowMs) {
      JsonObject health = new JsonObject();
      if (known()) {
        health.put("limit", limit).put("active", active).put("remaining", remaining)
          .put("polledAt", Instant.ofEpochMilli(polledAtMs).toString()).put("ageSeconds", (nowMs - polledAtMs) / 1000);
      }
      return error == null ? health : health.put("error", error).put("errorAt", Instant.ofEpochMilli(errorAtMs).toString());
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final String baseUrl;
  private final int intervalSeconds;
  private final LongSupplier clockMs;
  private final Map<String, Quota> quotas = new ConcurrentHashMap<>();
  private final Map<String, Boolean> polling = new ConcurrentHashMap<>();
  private volatile long version;
  private long timer = -1;

  QuotaPoller(Vertx vertx, String baseUrl, int intervalSeconds, LongSupplier clockMs) {
    this.vertx = vertx;
    this.baseUrl = baseUrl;
    this.intervalSeconds = intervalSeconds;
    this.clockMs = clockMs;
    int timeoutMs = Math.min(TIMEOUT_MS, Math.max(1, intervalSeconds) * 1000);
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
      .setConnectTimeout(timeoutMs).setUserAgent("token-gateway/" + Version.VALUE));
  }

  /** Polls at once and then every interval; {@code accounts} names each account in use and its current key. */
  void start(Supplier<Map<String, String>> accounts) {
    if (intervalSeconds <= 0) {
      return;
    }
    vertx.runOnContext(v -> pollAll(accounts.get()));
    timer = vertx.setPeriodic(intervalSeconds * 1000L, id -> pollAll(accounts.get()));
  }

  void stop() {
    vertx.cancelTimer(timer);
    client.close();
  }

  Quota quota(String account) {
    return quotas.getOrDefault(account, Quota.NONE);
  }

  Map<String, Quota> all() {
    return Map.copyOf(quotas);
  }

  /** Changes whenever an answer arrives, so derived plans know to recompute. */
  long version() {
    return version;
  }

  private void pollAll(Map<String, String> accounts) {
    accounts.forEach(this::poll);
  }

  private void poll(String account, String apiKey) {
    if (polling.putIfAbsent(account, Boolean.TRUE) != null) {
      return;  // the previous poll of this account is still out
    }
    client.getAbs(baseUrl + PATH).putHeader("x-api-key", apiKey).timeout(Math.min(TIMEOUT_MS, intervalSeconds * 1000L))
      .send()
      .onComplete(result -> {
        polling.remove(account);
        if (result.succeeded() && result.result().statusCode() == 200) {
          accept(account, result.result());
        } else {
          fail(account, result.succeeded() ? "HTTP " + result.result().statusCode() : String.valueOf(result.cause()));
        }
      });
  }

  private void accept(String account, HttpResponse<?> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      Quota quota = new Quota(body.getInteger("limit"), body.getInteger("active"), body.getInteger("remaining"),
        clockMs.getAsLong(), null, 0);
      if (quota.limit() < 0 || quota.remaining() < 0) {
        throw new IllegalArgumentException("negative");
      }
      quotas.put(account, quota);
      version++;
    } catch (RuntimeException e) {
      fail(account, "unexpected answer");
    }
  }

  private void fail(String account, String error) {
    Quota last = quota(account);
    if (last.error() == null) {
      LOG.warn("quota poll of account {} failed ({}); keeping the last answer", account, error);
    }
    quotas.put(account, new Quota(last.limit(), last.active(), last.remaining(), last.polledAtMs(), error,
      clockMs.getAsLong()));
  }
}
