package io.tokengateway.policy;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.GatewayException.FieldError;
import io.tokengateway.json.StrictJson;
import io.tokengateway.decart.DecartRules;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The caller's body (CONTRACT §5), read strictly and held to Decart's own rules (CONTRACT §2): not JSON
 * is 400 {@code malformed_json}; any field outside those rules is 422 {@code validation_failed} listing
 * every bad field. Null = absent. The tenant's policy comes later, in {@link PolicyEnforcer}.
 */
public record TokenRequest(Integer expiresIn, List<String> allowedModels, List<String> allowedOrigins,
                           Integer maxSessionDuration, JsonObject metadata) {

  /** CONTRACT §5: the caller's metadata as compact UTF-8 JSON, before the gateway stamps its ids. */
  public static final int MAX_METADATA_BYTES = 4096;
  /** CONTRACT §5; see {@link #depth(Object)} for how depth is counted. */
  public static final int MAX_METADATA_DEPTH = 5;

  private static final TokenRequest EMPTY = new TokenRequest(null, null, null, null, null);
  private static final Set<String> FIELDS =
    Set.of("expiresIn", "allowedModels", "allowedOrigins", "constraints", "metadata");

  public TokenRequest {
    allowedModels = allowedModels == null ? null : List.copyOf(allowedModels);
    allowedOrigins = allowedOrigins == null ? null : List.copyOf(allowedOrigins);
  }

  /** An absent or empty body asks for all of the tenant's defaults. */
  public static TokenRequest parse(Buffer body) {
    if (body == null || body.length() == 0) {
      return EMPTY;
    }
    JsonObject json = parseObject(body);
    List<FieldError> errors = new ArrayList<>();
    unknownFields(json, FIELDS, "", errors);
    TokenRequest request = new TokenRequest(
      integer(json.getValue("expiresIn"), "expiresIn", DecartRules.MIN_EXPIRES_IN_SECONDS,
        DecartRules.MAX_EXPIRES_IN_SECONDS, errors),
      strings(json.getValue("allowedModels"), "allowedModels", s -> !s.isBlank(),
        "must be a non-blank string", errors),
      strings(json.getValue("allowedOrigins"), "allowedOrigins", DecartRules::isOrigin,
        "must be an origin like https://host[:port], without path, query or user info", errors),
      maxSessionDuration(json.getValue("constraints"), errors),
      metadata(json.getValue("metadata"), errors));
    if (!errors.isEmpty()) {
      throw GatewayException.validation(errors);
    }
    return request;
  }

  private static JsonObject parseObject(Buffer body) {
    try {
      return StrictJson.parseObject(body.getBytes());
    } catch (StrictJson.MalformedException e) {
      throw new GatewayException(ErrorCode.MALFORMED_JSON, e.getMessage());
    }
  }

  private static void unknownFields(JsonObject json, Set<String> known, String prefix, List<FieldError> errors) {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        errors.add(new FieldError(prefix + name, "unknown field"));
      }
    }
  }

  /** A JSON integer token in range: 60.5, 6e1, 3600.0 and "60" are all refused. */
  private static Integer integer(Object value, String field, int min, int max, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (value instanceof Long n && n >= min && n <= max) {
      return n.intValue();
    }
    errors.add(new FieldError(field, "must be an integer from " + min + " to " + max));
    return null;
  }

  /** 1..20 entries; an empty list is refused because its meaning upstream is unclear (CONTRACT §5). */
  private static List<String> strings(Object value, String field, Predicate<String> valid, String rule,
                                      List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > DecartRules.MAX_LIST_ENTRIES) {
      errors.add(new FieldError(field, "must be an array of 1 to " + DecartRules.MAX_LIST_ENTRIES
        + " strings (omit it to use the tenant's list)"));
      return null;
    }
    List<String> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) instanceof String s && valid.test(s)) {
        list.add(s);
      } else {
        errors.add(new FieldError(field + "[" + i + "]", rule));
      }
    }
    return list;
  }

  /** {@code constraints} may hold only {@code realtime}, which may hold only {@code maxSessionDuration}. */
  private static Integer maxSessionDuration(Object constraints, List<FieldError> errors) {
    JsonObject outer = nested(constraints, "constraints", Set.of("realtime"), errors);
    JsonObject realtime = outer == null ? null
      : nested(outer.getValue("realtime"), "constraints.realtime", Set.of("maxSessionDuration"), errors);
    return realtime == null ? null : integer(realtime.getValue("maxSessionDuration"),
      "constraints.realtime.maxSessionDuration", DecartRules.MIN_SESSION_DURATION_SECONDS,
      DecartRules.MAX_SESSION_DURATION_SECONDS, errors);
  }

  private static JsonObject nested(Object value, String field, Set<String> known, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      errors.add(new FieldError(field, "must be an object"));
      return null;
    }
    unknownFields(object, known, field + ".", errors);
    return object;
  }

  private static JsonObject metadata(Object value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      errors.add(new FieldError("metadata", "must be an object"));
    } else if (depth(object) > MAX_METADATA_DEPTH) {
      errors.add(new FieldError("metadata", "must not nest deeper than " + MAX_METADATA_DEPTH + " levels"));
    } else if (object.toBuffer().length() > MAX_METADATA_BYTES) {
      errors.add(new FieldError("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes as JSON"));
    } else {
      return object;
    }
    return null;
  }

  /**
   * Nesting depth: the metadata object itself is 1, and every object or array value inside adds one
   * level ({@code {"a":{"b":[1]}}} is 3); scalars add none. StrictJson's cap of 32 bounds the recursion.
   */
  static int depth(Object value) {
    Iterable<?> children;
    if (value instanceof JsonObject object) {
      children = object.getMap().values();
    } else if (value instanceof JsonArray array) {
      children = array.getList();
    } else if (value instanceof Map<?, ?> map) { // JsonObject's own decoder nests plain maps and lists
      children = map.values();
    } else if (value instanceof List<?> list) {
      children = list;
    } else {
      return 0;
    }
    int deepest = 0;
    for (Object child : children) {
      deepest = Math.max(deepest, depth(child));
    }
    return 1 + deepest;
  }
}
