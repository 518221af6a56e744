package io.tokengateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.tokengateway.config.GatewayConfig;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.tokengateway.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * CONTRACT §10: a clustered Vert.x on Hazelcast, joined over TCP {@code cluster.members} or
 * Kubernetes DNS ({@code cluster.kubernetesServiceDns}, no API permissions needed). The only class
 * that names Hazelcast: single-node mode never loads it. The event bus listens on
 * {@code cluster.eventBusPort} (the port k8s/networkpolicy.yaml opens between peers), over TLS with
 * client certificates when {@code cluster.tls} is set.
 */
public final class Clustering {

  /** Before joining, Hazelcast waits this long for other members to show up (its default is 5 s). */
  static final String WAIT_SECONDS_BEFORE_JOIN = "1";
  /** An unreachable member in {@code cluster.members} is given up on after this (then the node starts alone). */
  static final int CONNECTION_TIMEOUT_SECONDS = 2;
  /** A member silent this long is dropped, and its rate-limit share returns to the others. */
  static final String MAX_NO_HEARTBEAT_SECONDS = "5";
  static final String HEARTBEAT_INTERVAL_SECONDS = "1";

  private Clustering() {}

  /** Builds the clustered Vert.x; {@code boot} reads Hazelcast's base config off the event loop. */
  public static Future<Membership> start(Vertx boot, VertxBuilder builder, VertxOptions options,
                                         GatewayConfig.Cluster cluster) {
    return boot.executeBlocking(() -> {
      checkReadable(cluster.tls());
      return hazelcastConfig(cluster);
    }).compose(config -> {
      HazelcastClusterManager manager = new HazelcastClusterManager(config);
      options.setEventBusOptions(eventBusOptions(cluster));
      // Built from a plain thread: a Vert.x built from inside another's context shares nothing with it anyway.
      return Future.fromCompletionStage(CompletableFuture.supplyAsync(
          () -> builder.with(options).withClusterManager(manager).buildClustered()), boot.getOrCreateContext())
        .compose(clustered -> clustered)
        .map(vertx -> Membership.clustered(vertx, manager, !cluster.members().isEmpty()
          || cluster.kubernetesServiceDns() != null));
    });
  }

  /**
   * CONTRACT §10: the event bus on its fixed port; with {@code cluster.tls}, TLS both ways and a client
   * certificate required, both chained to {@code trustFile}. A peer is anyone holding a certificate of
   * that CA: pod addresses change, so host names are not checked.
   */
  static EventBusOptions eventBusOptions(GatewayConfig.Cluster cluster) {
    EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(cluster.eventBusPort());
    GatewayConfig.ClusterTls tls = cluster.tls();
    if (tls.enabled()) {
      options.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.trustFile()));
    }
    return options;
  }

  /** An unreadable TLS file is a config error naming its key (exit 2), not a failed TLS handshake later. */
  private static void checkReadable(GatewayConfig.ClusterTls tls) {
    if (!tls.enabled()) {
      return;
    }
    String[][] files = {{"certFile", tls.certFile()}, {"keyFile", tls.keyFile()}, {"trustFile", tls.trustFile()}};
    for (String[] file : files) {
      if (!Files.isReadable(Path.of(file[1]))) {
        throw new ConfigException("cluster.tls." + file[0], "cannot read " + file[1]);
      }
    }
  }

  static Config hazelcastConfig(GatewayConfig.Cluster cluster) {
    Config config = ConfigUtil.loadConfig().setClusterName("token-gateway");
    config.setProperty("hazelcast.logging.type", "log4j2");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");  // Main leaves the cluster in its own order
    config.setProperty("hazelcast.wait.seconds.before.join", WAIT_SECONDS_BEFORE_JOIN);
    config.setProperty("hazelcast.max.no.heartbeat.seconds", MAX_NO_HEARTBEAT_SECONDS);
    config.setProperty("hazelcast.heartbeat.interval.seconds", HEARTBEAT_INTERVAL_SECONDS);
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    NetworkConfig network = config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesServiceDns() != null) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns());
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members())
        .setConnectionTimeoutSeconds(CONNECTION_TIMEOUT_SECONDS);
    }
    return config;
  }
}
