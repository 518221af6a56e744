package io.tokengateway.config;

import java.util.List;

/**
 * The main config file (CONTRACT §4) as immutable records, each default a named constant with
 * its unit. Built once by {@link ConfigLoader} before anything listens.
 */
public record GatewayConfig(Server server, Management management, DecartConfig decart, JwtConfig jwt,
                            Tenants tenants, Stats stats, Cluster cluster, Sessions sessions, Logging logging) {

  static GatewayConfig from(ConfigNode root) {
    GatewayConfig config = new GatewayConfig(Server.from(root.child("server")),
      Management.from(root.child("management")), DecartConfig.from(root.child("decart")),
      JwtConfig.from(root.child("jwt")), Tenants.from(root.child("tenants")),
      Stats.from(root.child("stats")), Cluster.from(root.child("cluster")),
      Sessions.from(root.child("sessions")), Logging.from(root.child("logging")));
    root.finish();
    return config;
  }

  /** The public listener (CONTRACT §4 {@code server}). */
  public record Server(String host, int port, int maxBodyBytes, int maxHeaderBytes, int idleTimeoutSeconds,
                       int headerReadTimeoutMs, int maxConnections, int requestReadTimeoutMs, int shutdownDrainMs,
                       Tls tls, List<String> corsAllowedOrigins) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 16384;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_HEADER_READ_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
    public static final int DEFAULT_REQUEST_READ_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_SHUTDOWN_DRAIN_MS = 5_000;

    static Server from(ConfigNode node) {
      ConfigNode cors = node.child("cors");
      Server server = new Server(node.string("host", DEFAULT_HOST),
        node.integer("port", DEFAULT_PORT, 0, 65535),
        node.integer("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1, 16 * 1024 * 1024),
        node.integer("maxHeaderBytes", DEFAULT_MAX_HEADER_BYTES, 1024, 1024 * 1024),
        node.integer("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS, 0, 86_400),
        node.integer("headerReadTimeoutMs", DEFAULT_HEADER_READ_TIMEOUT_MS, 1, 3_600_000),
        node.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 10_000_000),
        node.integer("requestReadTimeoutMs", DEFAULT_REQUEST_READ_TIMEOUT_MS, 1, 3_600_000),
        node.integer("shutdownDrainMs", DEFAULT_SHUTDOWN_DRAIN_MS, 0, 25_000),
        Tls.from(node.child("tls")), Origins.validated(cors, "allowedOrigins"));
      cors.finish();
      node.finish();
      return server;
    }
  }

  /** Both files set = HTTPS with ALPN on the public port. */
  public record Tls(String certFile, String keyFile) {
    static Tls from(ConfigNode node) {
      Tls tls = new Tls(node.string("certFile", null), node.string("keyFile", null));
      if ((tls.certFile == null) != (tls.keyFile == null)) {
        throw new ConfigException(node.keyPath(tls.certFile == null ? "certFile" : "keyFile"),
          "certFile and keyFile must be set together");
      }
      node.finish();
      return tls;
    }

    public boolean enabled() {
      return certFile != null;
    }
  }

  /**
   * Health, metrics, admin and dashboard: never on the public port. {@code adminTokenEnv} null = read-only
   * admin (CONTRACT §13).
   */
  public record Management(String host, int port, String adminTokenEnv, int maxStreams, int ledgerMaxEntries) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 9000;
    public static final int DEFAULT_MAX_STREAMS = 32;
    public static final int DEFAULT_LEDGER_MAX_ENTRIES = 100_000;

    static Management from(ConfigNode node) {
      Management management = new Management(node.string("host", DEFAULT_HOST),
        node.integer("port", DEFAULT_PORT, 0, 65535), node.string("adminTokenEnv", null),
        node.integer("maxStreams", DEFAULT_MAX_STREAMS, 1, 10_000),
        node.integer("ledgerMaxEntries", DEFAULT_LEDGER_MAX_ENTRIES, 1, 10_000_000));
      node.finish();
      return management;
    }
  }

  /** Where the tenants file is and how often it is re-read (0 = never). */
  public record Tenants(String file, int reloadSeconds) {
    public static final String DEFAULT_FILE = "conf/tenants.yaml";
    public static final int DEFAULT_RELOAD_SECONDS = 5;

    static Tenants from(ConfigNode node) {
      Tenants tenants = new Tenants(node.string("file", DEFAULT_FILE),
        node.integer("reloadSeconds", DEFAULT_RELOAD_SECONDS, 0, 86_400));
      node.finish();
      return tenants;
    }
  }

  /** How often the stats verticle publishes (CONTRACT §9). */
  public record Stats(int publishIntervalMs) {
    public static final int DEFAULT_PUBLISH_INTERVAL_MS = 1000;

    static Stats from(ConfigNode node) {
      Stats stats = new Stats(node.integer("publishIntervalMs", DEFAULT_PUBLISH_INTERVAL_MS, 10, 3_600_000));
      node.finish();
      return stats;
    }
  }

  /** CONTRACT §10: Hazelcast over TCP members or Kubernetes DNS; the event bus on a fixed port, TLS optional. */
  public record Cluster(boolean enabled, String host, int port, List<String> members, String kubernetesServiceDns,
                        int eventBusPort, ClusterTls tls) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;
    public static final int DEFAULT_EVENT_BUS_PORT = 5702;

    static Cluster from(ConfigNode node) {
      Cluster cluster = new Cluster(node.bool("enabled", false), node.string("host", DEFAULT_HOST),
        node.integer("port", DEFAULT_PORT, 0, 65535), node.strings("members", List.of()),
        node.string("kubernetesServiceDns", null), node.integer("eventBusPort", DEFAULT_EVENT_BUS_PORT, 0, 65535),
        ClusterTls.from(node.child("tls")));
      node.finish();
      return cluster;
    }
  }

  /** All three set = event-bus traffic over TLS with client certificates chained to {@code trustFile}. */
  public record ClusterTls(String certFile, String keyFile, String trustFile) {
    static ClusterTls from(ConfigNode node) {
      ClusterTls tls = new ClusterTls(node.string("certFile", null), node.string("keyFile", null),
        node.string("trustFile", null));
      int set = (tls.certFile != null ? 1 : 0) + (tls.keyFile != null ? 1 : 0) + (tls.trustFile != null ? 1 : 0);
      if (set != 0 && set != 3) {
        throw new ConfigException(node.keyPath(tls.certFile == null ? "certFile"
          : tls.keyFile == null ? "keyFile" : "trustFile"), "certFile, keyFile and trustFile must be set together");
      }
      node.finish();
      return tls;
    }

    public boolean enabled() {
      return certFile != null;
    }
  }

  /** Realtime session admission, process-wide part (CONTRACT §4 {@code sessions}, §12). */
  public record Sessions(int heartbeatTtlSeconds, int quotaPollSeconds, int accountLimit, int reserve) {
    public static final int DEFAULT_HEARTBEAT_TTL_SECONDS = 30;
    public static final int DEFAULT_QUOTA_POLL_SECONDS = 5;

    static Sessions from(ConfigNode node) {
      Sessions sessions = new Sessions(
        node.integer("heartbeatTtlSeconds", DEFAULT_HEARTBEAT_TTL_SECONDS, 1, 86_400),
        node.integer("quotaPollSeconds", DEFAULT_QUOTA_POLL_SECONDS, 0, 86_400),
        node.integer("accountLimit", 0, 0, 1_000_000), node.integer("reserve", 0, 0, 1_000_000));
      node.finish();
      return sessions;
    }
  }

  /** CONTRACT §7 "Logs": the level (ERROR | WARN | INFO | DEBUG) and json | text (null = json, text with --dev). */
  public record Logging(String level, String format) {
    public static final String DEFAULT_LEVEL = "INFO";
    public static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG");
    public static final List<String> FORMATS = List.of("json", "text");

    static Logging from(ConfigNode node) {
      String level = node.string("level", DEFAULT_LEVEL);
      if (!LEVELS.contains(level.toUpperCase(java.util.Locale.ROOT))) {
        throw new ConfigException(node.keyPath("level"), "must be one of ERROR, WARN, INFO, DEBUG");
      }
      String format = node.string("format", null);
      if (format != null && !FORMATS.contains(format)) {
        throw new ConfigException(node.keyPath("format"), "must be json or text");
      }
      node.finish();
      return new Logging(level.toUpperCase(java.util.Locale.ROOT), format);
    }
  }
}
