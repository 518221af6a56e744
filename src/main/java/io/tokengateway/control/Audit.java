package io.tokengateway.control;

import io.tokengateway.logging.LogLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Logger {@code audit} (CONTRACT §13): one line per admin write (action, target, reason, the admin token
 * by its 1-based position in {@code management.adminTokenEnv}, never the token), one per refused admin
 * request, and one per issued token (the ledger record: {@code keyHash}, never the key). Structured
 * as a Log4j2 map message, so a JSON layout can render the fields as fields.
 */
final class Audit {

  private static final Logger LOG = LogManager.getLogger("audit");
  /** The fields of {@link #issued}: the line's map is sized once. */
  private static final int ISSUED_FIELDS = 13;

  void write(String action, String target, String reason, String until, int adminToken, String requestId) {
    LOG.info(new StringMapMessage().with("event", "admin").with("action", action).with("target", target)
      .with("reason", reason == null ? "" : reason).with("until", until == null ? "" : until)
      .with("adminToken", adminToken).with("requestId", requestId));
  }

  /** A refused admin request (401, 403): what was asked and why not; never the token it carried. */
  void refused(String method, String path, String code, String requestId) {
    LOG.warn(new StringMapMessage().with("event", "admin-refused").with("method", method).with("path", path)
      .with("code", code).with("requestId", requestId));
  }

  /**
   * The ledger record as fields of a {@link LogLine} whose message is the event's name: a map message's own text
   * would repeat every field inside {@code message}, rendered and escaped twice per issuance.
   */
  void issued(LedgerEntry entry) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(LogLine.of("issued", ISSUED_FIELDS).with("event", "issued").with("requestId", entry.requestId())
      .with("tenant", entry.tenant()).with("user", entry.user())
      .with("sessionId", entry.sessionId() == null ? "" : entry.sessionId())
      .with("issuedAt", LedgerEntry.iso(entry.issuedAt())).with("expiresAt", LedgerEntry.iso(entry.expiresAt()))
      .with("sessionEndsBy", LedgerEntry.iso(entry.sessionEndsBy()))
      .with("allowedModels", String.valueOf(entry.allowedModels()))
      .with("allowedOrigins", String.valueOf(entry.allowedOrigins()))
      .with("leaseId", entry.leaseId() == null ? "" : entry.leaseId()).with("keyHash", entry.keyHash())
      .with("node", entry.node()));
  }
}
