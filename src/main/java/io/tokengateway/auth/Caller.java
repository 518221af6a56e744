package io.tokengateway.auth;

/**
 * Who is asking, as proven by a verified session JWT (CONTRACT §5): the tenant and user claims,
 * the optional session claim (null when absent) and the token's expiry.
 */
public record Caller(String tenantId, String userId, String sessionId, long expiresAtEpochSeconds) {}
