package io.tokengateway.cluster;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * CONTRACT §10: which {@code token-gateway.issuance.counts} messages count. One with the §9 shape
 * (node, at, intervalMs, and per tenant the six counts as whole numbers; further per-tenant fields
 * such as {@code leased} are allowed) from a current member is taken; anything else is ignored,
 * with one WARN per claimed node, so a forged or garbled message can never break
 * {@code /admin/issuance}.
 */
public final class PeerCounts {

  /** The per-tenant numbers every counts message carries (§9). */
  static final Set<String> COUNTS = Set.of("issued", "denied", "failed", "issuedTotal", "deniedTotal", "failedTotal");
  /** Nodes warned about; beyond this many, further ignored messages are not logged (a flood of forged ids). */
  static final int MAX_WARNED_NODES = 1024;
  private static final Logger LOG = LogManager.getLogger(PeerCounts.class);

  private final Membership membership;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public PeerCounts(Membership membership) {
    this.membership = membership;
  }

  /** The message when it is to be counted, else null (logged once per node). */
  public JsonObject admit(Object body) {
    JsonObject message = body instanceof JsonObject json ? json : null;
    String node = message != null && message.getValue("node") instanceof String id ? id : "(none)";
    String fault = message == null ? "not a JSON object" : shapeFault(message);
    if (fault == null && !membership.isMember(node)) {
      fault = "not from a current member";
    }
    if (fault == null) {
      return message;
    }
    if (warned.size() < MAX_WARNED_NODES && warned.add(node)) {
      LOG.warn("cluster: ignoring counts messages from node {}: {} (logged once per node)", node, fault);
    }
    return null;
  }

  /** What is wrong with the message's shape, or null when it has the §9 shape. */
  static String shapeFault(JsonObject message) {
    if (!(message.getValue("node") instanceof String) || !(message.getValue("at") instanceof String)
      || !(message.getValue("intervalMs") instanceof Number)) {
      return "node, at or intervalMs missing or of the wrong type";
    }
    if (!(message.getValue("tenants") instanceof JsonObject tenants)) {
      return "tenants is not an object";
    }
    for (Map.Entry<String, Object> tenant : tenants) {
      if (!(tenant.getValue() instanceof JsonObject counts) || !hasCounts(counts)) {
        return "the counts of tenant " + tenant.getKey() + " are not whole numbers";
      }
    }
    return null;
  }

  private static boolean hasCounts(JsonObject counts) {
    for (String name : COUNTS) {
      Object value = counts.getValue(name);
      boolean whole = value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
      if (!whole || ((Number) value).longValue() < 0) {
        return false;
      }
    }
    return true;
  }
}
