package io.tokengateway.policy;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.auth.Caller;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies a tenant's policy to a parsed request (CONTRACT §5 "Policy, per tenant") and writes the one
 * body Decart sees. Values outside Decart's rules were already 422 in {@link TokenRequest}; values within
 * them but beyond this tenant's policy are 403 here. Metadata ids come from the verified caller only.
 */
public final class PolicyEnforcer {

  /** The ids the gateway stamps, lower-cased: {@code tenantId}, {@code userId}, {@code sessionId}. */
  private static final Set<String> STAMPED_IDS = Set.of("tenantid", "userid", "sessionid");
  private static final Pattern LOOK_ALIKE_NOISE = Pattern.compile("[_-]");

  private PolicyEnforcer() {}

  public static UpstreamBody apply(TokenRequest request, Tenant tenant, Caller caller, String originHeader) {
    checkOriginHeader(tenant, originHeader);
    int expiresIn = expiresIn(request, tenant);
    JsonObject body = new JsonObject().put("expiresIn", expiresIn);
    List<String> models = scoped(request.allowedModels(), tenant.allowedModels(), "allowedModels",
      ErrorCode.MODEL_NOT_ALLOWED);
    putList(body, "allowedModels", models);
    List<String> origins = scoped(request.allowedOrigins(), tenant.allowedOrigins(), "allowedOrigins",
      ErrorCode.ORIGIN_NOT_ALLOWED);
    putList(body, "allowedOrigins", origins);
    Integer maxSessionDuration = maxSessionDuration(request, tenant);
    if (maxSessionDuration != null) {
      body.put("constraints", new JsonObject()
        .put("realtime", new JsonObject().put("maxSessionDuration", maxSessionDuration)));
    }
    body.put("metadata", metadata(request, tenant, caller));
    return new UpstreamBody(body.toBuffer(), expiresIn, maxSessionDuration == null ? 0 : maxSessionDuration,
      models, origins);
  }

  /**
   * A browser's {@code Origin} must be one of the tenant's origins when it has any. Compared exactly:
   * browsers send scheme and host lower-case, and the list is the same one the token is scoped to.
   */
  private static void checkOriginHeader(Tenant tenant, String originHeader) {
    if (originHeader != null && !tenant.allowedOrigins().isEmpty()
      && !tenant.allowedOrigins().contains(originHeader)) {
      throw new GatewayException(ErrorCode.ORIGIN_NOT_ALLOWED,
        "the request's Origin is not allowed for this tenant");
    }
  }

  private static int expiresIn(TokenRequest request, Tenant tenant) {
    if (request.expiresIn() == null) {
      return Math.min(tenant.defaultExpiresIn(), tenant.maxExpiresIn());
    }
    if (request.expiresIn() > tenant.maxExpiresIn()) {
      throw new GatewayException(ErrorCode.POLICY_VIOLATION,
        "expiresIn must be at most " + tenant.maxExpiresIn() + " for this tenant");
    }
    return request.expiresIn();
  }

  /**
   * Absent: the tenant's list, or nothing when it has none. Present: each entry must be in the
   * tenant's list when it has one. The detail names the index, never echoes the value.
   */
  private static List<String> scoped(List<String> requested, List<String> allowed, String field, ErrorCode code) {
    if (requested == null) {
      return allowed.isEmpty() ? null : allowed;
    }
    if (!allowed.isEmpty()) {
      for (int i = 0; i < requested.size(); i++) {
        if (!allowed.contains(requested.get(i))) {
          throw new GatewayException(code, field + "[" + i + "] is not allowed for this tenant");
        }
      }
    }
    return requested;
  }

  private static Integer maxSessionDuration(TokenRequest request, Tenant tenant) {
    Integer requested = request.maxSessionDuration();
    int limit = tenant.maxSessionDuration();
    if (requested == null) {
      // A tenant with session admission always stamps a cap: its leases must end (CONTRACT §12).
      return limit != 0 ? Integer.valueOf(limit)
        : tenant.sessions().enabled() ? Integer.valueOf(tenant.sessions().defaultSessionSeconds()) : null;
    }
    if (limit != 0 && requested > limit) {
      throw new GatewayException(ErrorCode.POLICY_VIOLATION,
        "constraints.realtime.maxSessionDuration must be at most " + limit + " for this tenant");
    }
    return requested;
  }

  /**
   * The caller's object, minus any ids it sent (and their look-alikes), then the gateway's ids appended in a
   * fixed order. {@code sessionId} is removed even when the caller has none: it must never be forgeable.
   */
  private static JsonObject metadata(TokenRequest request, Tenant tenant, Caller caller) {
    JsonObject metadata = request.metadata() == null ? new JsonObject() : request.metadata().copy();
    metadata.fieldNames().removeIf(PolicyEnforcer::looksLikeStampedId);
    metadata.put("tenantId", tenant.id()).put("userId", caller.userId());
    if (caller.sessionId() != null) {
      metadata.put("sessionId", caller.sessionId());
    }
    return metadata;
  }

  /**
   * CONTRACT §5: a key differing from a stamped id only by case, {@code _} or {@code -} ({@code TenantId},
   * {@code tenant_id}, {@code user-id}) would read as the id to whoever consumes the metadata.
   */
  static boolean looksLikeStampedId(String key) {
    String plain = LOOK_ALIKE_NOISE.matcher(key).replaceAll("").toLowerCase(Locale.ROOT);
    return STAMPED_IDS.contains(plain);
  }

  private static void putList(JsonObject body, String field, List<String> list) {
    if (list != null) {
      body.put(field, new JsonArray(list));
    }
  }
}
