package io.tokengateway.sessions;

/**
 * One slot of an account's realtime capacity (CONTRACT §12), held by one user of one tenant. {@code endMs} is
 * when the slot frees on its own; {@code boundMs} the latest it may ever end (Decart's {@code expiresAt} + the
 * session cap once known): a heartbeat moves {@code endMs} but never past {@code boundMs}. {@code beating}: a
 * heartbeat has set {@code endMs}, which Decart's answer arriving later (a confirm) must then not push back out.
 */
public record Lease(String id, String tenant, String user, long grantedAtMs, long endMs, long boundMs,
                    boolean beating) {

  boolean heldBy(String tenant, String user) {
    return this.tenant.equals(tenant) && this.user.equals(user);
  }

  /** Decart's answer is in: the bound becomes exact; a heartbeat's earlier end stays. */
  Lease bounded(long boundMs) {
    return new Lease(id, tenant, user, grantedAtMs, beating ? Math.min(endMs, boundMs) : boundMs, boundMs, beating);
  }

  Lease beatAt(long nowMs, long ttlMs) {
    return new Lease(id, tenant, user, grantedAtMs, Math.min(boundMs, nowMs + ttlMs), boundMs, true);
  }
}
