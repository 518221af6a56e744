package io.tokengateway.sessions;

/**
 * One slot of an account's realtime capacity (CONTRACT §12), held by one user of one tenant. {@code endMs} is
 * when the slot frees on its own; {@code boundMs} the latest it may ever end (Decart's {@code expiresAt} + the
 * session cap once known): a heartbeat moves {@code endMs} but never past {@code boundMs}.
 */
public record Lease(String id, String tenant, String user, long grantedAtMs, long endMs, long boundMs) {

  boolean heldBy(String tenant, String user) {
    return this.tenant.equals(tenant) && this.user.equals(user);
  }

  Lease endingAt(long endMs, long boundMs) {
    return new Lease(id, tenant, user, grantedAtMs, endMs, boundMs);
  }
}
