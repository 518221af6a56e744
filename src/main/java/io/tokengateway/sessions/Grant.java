package io.tokengateway.sessions;

/**
 * What admission gave one token request: the lease it holds (where it lives, whose it is, the session cap to
 * stamp) and how long it waited for it. {@link #NONE} for tenants without session admission.
 */
public record Grant(String leaseId, String account, String tenant, String user, int sessionSeconds,
                    int waitedSeconds) {

  public static final Grant NONE = new Grant(null, null, null, null, 0, 0);

  public boolean held() {
    return leaseId != null;
  }
}
