package io.tokengateway.control;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.auth.Caller;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The owner of blocks (CONTRACT §13). The request path asks {@link #check} one question: an in-memory
 * lookup in an immutable snapshot keyed by tenant, replaced whole on each change (changes are rare, reads
 * are every request). Changes go through the {@link BlockStore}, which feeds every node's snapshot.
 * tenants.yaml {@code blockedUsers} are read from the resolved {@link Tenant}, so they follow its reloads.
 */
public final class Blocks {

  private static final GatewayException TENANT_BLOCKED =
    new GatewayException(ErrorCode.BLOCKED, "this tenant is blocked by the gateway's operator");
  private static final GatewayException USER_BLOCKED =
    new GatewayException(ErrorCode.BLOCKED, "this user is blocked by the gateway's operator");

  /** One tenant's blocks: the tenant-wide one (or null) and its users'. */
  private record TenantBlocks(Block whole, Map<String, Block> users) {}

  private final BlockStore store;
  private final Clock clock;
  private volatile Map<String, TenantBlocks> snapshot = Map.of();
  /** Every admin block by key; written only under this object's lock, then copied into {@link #snapshot}. */
  private final Map<String, Block> byKey = new HashMap<>();

  Blocks(BlockStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  Future<Void> start() {
    return store.start(this);
  }

  Future<Void> stop() {
    return store.stop();
  }

  /** The request path's step after tenant resolution: 403 blocked, or the tenant unchanged. */
  public Tenant check(Tenant tenant, Caller caller) {
    TenantBlocks blocks = snapshot.get(tenant.id());
    if (blocks != null) {
      long now = clock.millis();
      if (blocks.whole != null && blocks.whole.inForce(now)) {
        throw TENANT_BLOCKED;
      }
      Block user = blocks.users.get(caller.userId());
      if (user != null && user.inForce(now)) {
        throw USER_BLOCKED;
      }
    }
    // A plain list scan: tenants.yaml lists are short; long-lived mass blocks belong in the admin API's map.
    if (!tenant.blockedUsers().isEmpty() && tenant.blockedUsers().contains(caller.userId())) {
      throw USER_BLOCKED;
    }
    return tenant;
  }

  Future<Void> put(Block block) {
    return store.put(block);
  }

  Future<Void> lift(String tenant, String user) {
    return store.remove(Block.key(tenant, user));
  }

  /** Every admin block in force now, oldest first. */
  synchronized List<Block> inForce() {
    long now = clock.millis();
    List<Block> blocks = new ArrayList<>();
    byKey.values().stream().filter(b -> b.inForce(now)).forEach(blocks::add);
    blocks.sort((a, b) -> a.since().compareTo(b.since()));
    return blocks;
  }

  /** A block taken or changed, here or on another node. Blocks past their end are dropped meanwhile. */
  synchronized void applied(Block block) {
    byKey.put(block.key(), block);
    publish();
  }

  /** A block lifted or expired, here or on another node. */
  synchronized void removed(String key) {
    if (byKey.remove(key) != null) {
      publish();
    }
  }

  private void publish() {
    long now = clock.millis();
    byKey.values().removeIf(b -> !b.inForce(now));
    Map<String, TenantBlocks> fresh = new HashMap<>();
    for (Block block : byKey.values()) {
      TenantBlocks current = fresh.getOrDefault(block.tenant(), new TenantBlocks(null, new HashMap<>()));
      if (block.user() == null) {
        current = new TenantBlocks(block, current.users);
      } else {
        current.users.put(block.user(), block);
      }
      fresh.put(block.tenant(), current);
    }
    snapshot = Map.copyOf(fresh);
  }
}
