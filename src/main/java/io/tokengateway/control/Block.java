package io.tokengateway.control;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One block (CONTRACT §13): a whole tenant ({@code user} null) or one user of it, with the operator's
 * reason and its end ({@code until} null = permanent, i.e. from tenants.yaml {@code blockedUsers}).
 * {@code since} is when it was taken; {@code source} is {@code admin} or {@code tenants.yaml}.
 */
public record Block(String tenant, String user, String reason, Instant until, Instant since, String source) {

  public static final String ADMIN = "admin";
  public static final String TENANTS_FILE = "tenants.yaml";

  /**
   * The block's key in the store: {@code acme} or {@code acme/u1}. Unambiguous: tenant ids never hold
   * a {@code /} (TenantDirectory.TENANT_ID), so the first one always ends the tenant.
   */
  public static String key(String tenant, String user) {
    return user == null ? tenant : tenant + "/" + user;
  }

  public String key() {
    return key(tenant, user);
  }

  /** In force at {@code nowMillis}: permanent, or not yet at its end. */
  boolean inForce(long nowMillis) {
    return until == null || until.toEpochMilli() > nowMillis;
  }

  public JsonObject toJson() {
    return new JsonObject().put("tenant", tenant).put("user", user).put("reason", reason)
      .put("until", until == null ? null : until.toString()).put("since", since == null ? null : since.toString())
      .put("source", source);
  }

  /** Reads what {@link #toJson} wrote (the cluster map holds blocks as JSON strings). */
  static Block fromJson(JsonObject json) {
    String until = json.getString("until");
    String since = json.getString("since");
    return new Block(json.getString("tenant"), json.getString("user"), json.getString("reason"),
      until == null ? null : Instant.parse(until), since == null ? null : Instant.parse(since),
      json.getString("source", ADMIN));
  }
}
