package io.tokengateway.dev;

import io.tokengateway.decart.DecartRules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;

/**
 * Decart's request-body rules ({@link DecartRules}, CONTRACT §2) as the simulator checks them, reporting
 * each violation the way FastAPI does: one {@code {"loc","msg","type"}} entry of the 422 envelope.
 */
final class SimulatedValidation {

  private final JsonArray detail = new JsonArray();

  private SimulatedValidation() {}

  /** The 422 {@code detail} entries for a decoded body (null = empty body); empty when valid. */
  static JsonArray validate(Object body) {
    SimulatedValidation validation = new SimulatedValidation();
    if (body == null) {
      return validation.detail;
    }
    if (!(body instanceof JsonObject object)) {
      return validation.fail(List.of("body"), "model_attributes_type",
        "Input should be a valid dictionary or object to extract fields from").detail;
    }
    validation.checkBody(object);
    return validation.detail;
  }

  /** The entry for a body that is not JSON at all. */
  static JsonArray jsonInvalid() {
    return new SimulatedValidation().fail(List.of("body", 0), "json_invalid", "JSON decode error").detail;
  }

  private void checkBody(JsonObject body) {
    Object expiresIn = body.getValue("expiresIn");
    if (expiresIn != null) {
      checkInteger(List.of("body", "expiresIn"), expiresIn, DecartRules.MIN_EXPIRES_IN_SECONDS,
        DecartRules.MAX_EXPIRES_IN_SECONDS);
    }
    checkStrings("allowedModels", body.getValue("allowedModels"), false);
    checkStrings("allowedOrigins", body.getValue("allowedOrigins"), true);
    checkConstraints(body.getValue("constraints"));
    Object metadata = body.getValue("metadata");
    if (metadata != null && !(metadata instanceof JsonObject)) {
      fail(List.of("body", "metadata"), "dict_type", "Input should be a valid dictionary");
    }
  }

  private void checkInteger(List<Object> loc, Object value, long min, long max) {
    if (value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal) {
      fail(loc, "int_from_float", "Input should be a valid integer, got a number with a fractional part");
    } else if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
      fail(loc, "int_type", "Input should be a valid integer");
    } else if (new BigInteger(value.toString()).compareTo(BigInteger.valueOf(min)) < 0) {
      fail(loc, "greater_than_equal", "Input should be greater than or equal to " + min);
    } else if (new BigInteger(value.toString()).compareTo(BigInteger.valueOf(max)) > 0) {
      fail(loc, "less_than_equal", "Input should be less than or equal to " + max);
    }
  }

  private void checkStrings(String field, Object value, boolean origins) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonArray list)) {
      fail(List.of("body", field), "list_type", "Input should be a valid list");
      return;
    }
    if (list.size() > DecartRules.MAX_LIST_ENTRIES) {
      fail(List.of("body", field), "too_long",
        "List should have at most " + DecartRules.MAX_LIST_ENTRIES + " items after validation, not " + list.size());
    }
    for (int i = 0; i < list.size(); i++) {
      checkEntry(List.of("body", field, i), list.getValue(i), origins);
    }
  }

  private void checkEntry(List<Object> loc, Object entry, boolean origin) {
    if (!(entry instanceof String text)) {
      fail(loc, "string_type", "Input should be a valid string");
    } else if (origin && !DecartRules.isOrigin(text)) {
      fail(loc, "value_error", "Value error, must be a full origin like https://host[:port]");
    }
  }

  private void checkConstraints(Object constraints) {
    if (constraints == null) {
      return;
    }
    if (!(constraints instanceof JsonObject object)) {
      fail(List.of("body", "constraints"), "model_type", "Input should be a valid dictionary");
      return;
    }
    Object realtime = object.getValue("realtime");
    if (realtime != null && !(realtime instanceof JsonObject)) {
      fail(List.of("body", "constraints", "realtime"), "model_type", "Input should be a valid dictionary");
    } else if (realtime != null) {
      Object duration = ((JsonObject) realtime).getValue("maxSessionDuration");
      if (duration != null) {
        checkInteger(List.of("body", "constraints", "realtime", "maxSessionDuration"), duration,
          DecartRules.MIN_SESSION_DURATION_SECONDS, Long.MAX_VALUE);
      }
    }
  }

  private SimulatedValidation fail(List<Object> loc, String type, String msg) {
    detail.add(new JsonObject().put("loc", new JsonArray(loc)).put("msg", msg).put("type", type));
    return this;
  }
}
