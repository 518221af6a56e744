package io.tokengateway.config;

/** The upstream (CONTRACT §4 {@code decart}): where Decart is and how hard to try. */
public record DecartConfig(String baseUrl, String apiKeyEnv, String apiKeyFile, int rejectedKeyCooldownSeconds,
                           int connectTimeoutMs, int timeoutMs, int deadlineMs,
                           int maxConnections, int maxInFlight, Retry retry, CircuitBreaker circuitBreaker) {
  public static final String DEFAULT_BASE_URL = "https://api.decart.ai";
  public static final String DEFAULT_API_KEY_ENV = "DECART_API_KEY";
  public static final int DEFAULT_REJECTED_KEY_COOLDOWN_SECONDS = 60;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 2000;
  public static final int DEFAULT_TIMEOUT_MS = 5000;
  public static final int DEFAULT_DEADLINE_MS = 8000;
  public static final int DEFAULT_MAX_CONNECTIONS = 512;
  public static final int DEFAULT_MAX_IN_FLIGHT = 2000;

  static DecartConfig from(ConfigNode node) {
    String baseUrl = node.string("baseUrl", DEFAULT_BASE_URL);
    if (!baseUrl.matches("https?://[^/?#]+(/[^?#]*)?")) {
      throw new ConfigException(node.keyPath("baseUrl"), "expected an http(s) URL");
    }
    Loopback.requireHttpsUnlessLoopback(node.keyPath("baseUrl"), baseUrl);
    DecartConfig config = new DecartConfig(baseUrl.replaceAll("/+$", ""),
      node.string("apiKeyEnv", DEFAULT_API_KEY_ENV), node.string("apiKeyFile", null),
      node.integer("rejectedKeyCooldownSeconds", DEFAULT_REJECTED_KEY_COOLDOWN_SECONDS, 0, 86_400),
      node.integer("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS, 1, 600_000),
      node.integer("timeoutMs", DEFAULT_TIMEOUT_MS, 1, 600_000),
      node.integer("deadlineMs", DEFAULT_DEADLINE_MS, 1, 600_000),
      node.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 100_000),
      node.integer("maxInFlight", DEFAULT_MAX_IN_FLIGHT, 1, 1_000_000),
      Retry.from(node.child("retry")), CircuitBreaker.from(node.child("circuitBreaker")));
    node.finish();
    return config;
  }

  /** Our retry loop around single attempts (CONTRACT §6 "Retries"). */
  public record Retry(int maxRetries, int backoffInitialMs, int backoffMaxMs) {
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final int DEFAULT_BACKOFF_INITIAL_MS = 50;
    public static final int DEFAULT_BACKOFF_MAX_MS = 1000;

    static Retry from(ConfigNode node) {
      Retry retry = new Retry(node.integer("maxRetries", DEFAULT_MAX_RETRIES, 0, 10),
        node.integer("backoffInitialMs", DEFAULT_BACKOFF_INITIAL_MS, 0, 60_000),
        node.integer("backoffMaxMs", DEFAULT_BACKOFF_MAX_MS, 0, 60_000));
      node.finish();
      return retry;
    }
  }

  /**
   * The breaker around each single attempt; its own retries stay off. It opens when, within the rolling
   * window, at least {@code failureThreshold} attempts failed AND at least {@code failureRatio} of them did.
   */
  public record CircuitBreaker(int failureThreshold, double failureRatio, int rollingWindowMs, int resetTimeoutMs) {
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    public static final double DEFAULT_FAILURE_RATIO = 0.5;
    public static final int DEFAULT_ROLLING_WINDOW_MS = 10_000;
    public static final int DEFAULT_RESET_TIMEOUT_MS = 10_000;

    static CircuitBreaker from(ConfigNode node) {
      CircuitBreaker breaker = new CircuitBreaker(
        node.integer("failureThreshold", DEFAULT_FAILURE_THRESHOLD, 1, 100_000),
        node.number("failureRatio", DEFAULT_FAILURE_RATIO, 0.0, 1.0),
        node.integer("rollingWindowMs", DEFAULT_ROLLING_WINDOW_MS, 100, 3_600_000),
        node.integer("resetTimeoutMs", DEFAULT_RESET_TIMEOUT_MS, 1, 3_600_000));
      node.finish();
      return breaker;
    }
  }
}
