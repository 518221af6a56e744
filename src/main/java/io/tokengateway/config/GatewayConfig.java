package io.tokengateway.config;

import java.util.List;

/**
 * The main config file (CONTRACT §4) as immutable records, each default a named constant with
 * its unit. Built once by {@link ConfigLoader} before anything listens.
 */
public record GatewayConfig(Server server, Management management, DecartConfig decart, JwtConfig jwt,
                            Tenants tenants, Stats stats, Cluster cluster) {

  static GatewayConfig from(ConfigNode root) {
    GatewayConfig config = new GatewayConfig(Server.from(root.child("server")),
      Management.from(root.child("management")), DecartConfig.from(root.child("decart")),
      JwtConfig.from(root.child("jwt")), Tenants.from(root.child("tenants")),
      Stats.from(root.child("stats")), Cluster.from(root.child("cluster")));
    root.finish();
    return config;
  }

  /** The public listener (CONTRACT §4 {@code server}). */
  public record Server(String host, int port, int maxBodyBytes, int maxHeaderBytes, int idleTimeoutSeconds,
                       int requestReadTimeoutMs, int shutdownDrainMs, Tls tls, List<String> corsAllowedOrigins) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 16384;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_REQUEST_READ_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_SHUTDOWN_DRAIN_MS = 5_000;

    static Server from(ConfigNode node) {
      ConfigNode cors = node.child("cors");
      Server server = new Server(node.string("host", DEFAULT_HOST),
        node.integer("port", DEFAULT_PORT, 0, 65535),
        node.integer("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1, 16 * 1024 * 1024),
        node.integer("maxHeaderBytes", DEFAULT_MAX_HEADER_BYTES, 1024, 1024 * 1024),
        node.integer("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS, 0, 86_400),
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

  /** Health, metrics and admin: never on the public port. */
  public record Management(String host, int port) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 9000;

    static Management from(ConfigNode node) {
      Management management = new Management(node.string("host", DEFAULT_HOST),
        node.integer("port", DEFAULT_PORT, 0, 65535));
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

  /** CONTRACT §10: Hazelcast over TCP members or Kubernetes DNS. */
  public record Cluster(boolean enabled, String host, int port, List<String> members, String kubernetesServiceDns) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;

    static Cluster from(ConfigNode node) {
      Cluster cluster = new Cluster(node.bool("enabled", false), node.string("host", DEFAULT_HOST),
        node.integer("port", DEFAULT_PORT, 0, 65535), node.strings("members", List.of()),
        node.string("kubernetesServiceDns", null));
      node.finish();
      return cluster;
    }
  }
}
