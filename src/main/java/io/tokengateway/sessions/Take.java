package io.tokengateway.sessions;

import java.io.Serializable;
import java.util.Map;

/**
 * One check-and-take (CONTRACT §12 "Admission"): who asks, the caps already divided by this node's share
 * ({@link #NO_CAP} = none), the account's guarantees above 0 (scaled to the pool) and unguaranteed part, and
 * Decart's latest {@code remaining} ({@link #NO_QUOTA} = never polled). Serializable: it travels to the partition
 * owner.
 */
public record Take(String leaseId, String tenant, String user, long nowMs, long endMs, int userCap, int tenantCap,
                   Map<String, Integer> guarantees, int shared, int quotaRemaining, long quotaPolledAtMs)
  implements Serializable {

  public static final int NO_CAP = Integer.MAX_VALUE;
  public static final int NO_QUOTA = -1;

  int guaranteed(String tenantId) {
    return guarantees.getOrDefault(tenantId, 0);
  }

  /** What the take came to: granted ({@code refusal} null) or refused, and when the earliest lease in the way ends. */
  public record Verdict(Refusal refusal, long freesAtMs, int tenantHeld) implements Serializable {
    public boolean granted() {
      return refusal == null;
    }
  }
}
