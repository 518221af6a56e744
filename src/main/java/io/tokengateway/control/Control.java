package io.tokengateway.control;

import com.hazelcast.core.HazelcastInstance;
import io.tokengateway.cluster.Membership;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.tenant.TenantDirectory;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Operator control on one node (CONTRACT §13), assembled: admin authentication, blocks (in this process,
 * or in the cluster's map when clustered) and the issuance ledger with its cluster-wide queries.
 */
public final class Control {

  /** How often expired ledger entries release their slots. */
  static final long SWEEP_MS = 10_000;
  private static final Logger LOG = LogManager.getLogger(Control.class);

  private final Vertx vertx;
  private final AdminAuth auth;
  private final Blocks blocks;
  private final Ledger ledger;
  private final FleetLedger fleet;
  private final AdminApi api;
  private long sweepTimer = -1;

  private Control(Vertx vertx, Membership membership, GatewayConfig.Management config, List<String> adminTokens,
                  TenantDirectory tenants, Clock clock) {
    Audit audit = new Audit();
    this.vertx = vertx;
    this.auth = new AdminAuth(adminTokens, audit);
    this.blocks = new Blocks(store(membership, clock), clock);
    this.ledger = new Ledger(config.ledgerMaxEntries(), clock, membership.nodeId(), audit);
    this.fleet = new FleetLedger(vertx, ledger, membership.nodeId(), membership::nodeIds);
    this.api = new AdminApi(blocks, fleet, tenants, audit, clock);
  }

  /** {@code adminTokens} empty = read-only admin (logged at WARN). */
  public static Future<Control> start(Membership membership, GatewayConfig.Management config,
                                      List<String> adminTokens, TenantDirectory tenants, Clock clock) {
    Control control = new Control(membership.vertx(), membership, config, adminTokens, tenants, clock);
    if (adminTokens.isEmpty()) {
      LOG.warn("management.adminTokenEnv is not set: the admin API is read-only, and open to anyone who reaches "
        + "the management port");
    }
    return control.blocks.start().compose(v -> control.fleet.start()).map(v -> {
      control.sweepTimer = control.vertx.setPeriodic(SWEEP_MS, id -> control.vertx.executeBlocking(() -> {
        control.ledger.sweep();
        return null;
      }, false));
      return control;
    });
  }

  /** A Hazelcast map when clustered (the public {@code getHazelcastInstance}); this process alone otherwise. */
  private static BlockStore store(Membership membership, Clock clock) {
    if (membership.clusterManager() instanceof HazelcastClusterManager hazelcast) {
      HazelcastInstance instance = hazelcast.getHazelcastInstance();
      return new ClusterBlockStore(membership.vertx(), instance, clock);
    }
    return new LocalBlockStore();
  }

  /** Admin authentication first, then the operator's routes: mount before any other {@code /admin} route. */
  public void mount(Router router) {
    router.route("/admin*").handler(auth);
    api.mount(router);
  }

  /** The admin check as a vertx-web handler, for the dashboard's actions. */
  public Handler<RoutingContext> adminAuth() {
    return auth;
  }

  /** True when {@code management.adminTokenEnv} is set: every {@code /admin} path needs an admin token. */
  public boolean adminAuthRequired() {
    return auth.enabled();
  }

  public Blocks blocks() {
    return blocks;
  }

  public Ledger ledger() {
    return ledger;
  }

  public Future<Void> stop() {
    vertx.cancelTimer(sweepTimer);
    return fleet.stop().eventually(blocks::stop);
  }
}
