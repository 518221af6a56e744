package io.tokengateway.control;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.GatewayException.FieldError;
import io.tokengateway.json.StrictJson;
import io.tokengateway.tenant.TenantDirectory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A block as an operator asks for it (CONTRACT §13 {@code PUT /admin/blocks/…}), parsed strictly like a
 * token request: malformed JSON is 400, anything else wrong is one 422 listing every bad field.
 */
record BlockRequest(String tenant, String user, String reason, Instant until) {

  /** CONTRACT §13: a block without {@code until} lasts this long, and none may last longer than {@link #MAX}. */
  static final Duration DEFAULT = Duration.ofHours(24);
  static final Duration MAX = Duration.ofDays(30);
  static final int MAX_REASON_CHARS = 500;
  static final int MAX_USER_CHARS = 256;
  private static final Set<String> FIELDS = Set.of("reason", "until");

  static BlockRequest parse(String tenant, String user, Buffer body, Instant now) {
    JsonObject json = json(body);
    List<FieldError> errors = new ArrayList<>(scope(tenant, user));
    json.fieldNames().stream().filter(name -> !FIELDS.contains(name)).sorted()
      .forEach(name -> errors.add(new FieldError(name, "unknown field")));
    Object reason = json.getValue("reason");
    if (!(reason instanceof String text) || text.isBlank() || text.length() > MAX_REASON_CHARS) {
      errors.add(new FieldError("reason", "required: a non-empty string of at most " + MAX_REASON_CHARS
        + " characters"));
    }
    Instant until = until(json.getValue("until"), now, errors);
    if (!errors.isEmpty()) {
      throw GatewayException.validation(errors);
    }
    return new BlockRequest(tenant, user, ((String) reason).strip(), until);
  }

  /** The path's tenant id and user id: what a token's claims could name. */
  static List<FieldError> scope(String tenant, String user) {
    List<FieldError> errors = new ArrayList<>();
    if (tenant == null || !TenantDirectory.TENANT_ID.matcher(tenant).matches()) {
      errors.add(new FieldError("tenant", "must be 1-64 characters of [A-Za-z0-9._-], starting with a letter or digit"));
    }
    if (user != null && (user.isEmpty() || user.length() > MAX_USER_CHARS || user.chars().anyMatch(Character::isISOControl))) {
      errors.add(new FieldError("user", "must be 1-" + MAX_USER_CHARS + " characters without control characters"));
    }
    return errors;
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    try {
      return StrictJson.parseObject(body.getBytes());
    } catch (StrictJson.MalformedException e) {
      throw new GatewayException(ErrorCode.MALFORMED_JSON, e.getMessage());
    }
  }

  private static Instant until(Object value, Instant now, List<FieldError> errors) {
    if (value == null) {
      return now.plus(DEFAULT);
    }
    Instant until = value instanceof String text ? instant(text) : null;
    if (until == null) {
      errors.add(new FieldError("until", "must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T12:00:00Z"));
    } else if (!until.isAfter(now)) {
      errors.add(new FieldError("until", "must be in the future"));
    } else if (until.isAfter(now.plus(MAX))) {
      errors.add(new FieldError("until", "must be at most 30 days ahead"));
    }
    return until;
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
