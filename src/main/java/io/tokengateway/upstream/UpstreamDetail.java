package io.tokengateway.upstream;

import io.tokengateway.json.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Decart's 422 {@code detail} as the caller may see it (CONTRACT §6 {@code upstream_rejected}): of each entry
 * only {@code loc}, {@code msg} and {@code type}. FastAPI's envelope may also echo the request ({@code input},
 * {@code ctx}, {@code url}), which holds the caller's metadata and the gateway's stamped ids.
 */
final class UpstreamDetail {

  private static final String[] KEPT = {"loc", "msg", "type"};

  private UpstreamDetail() {}

  /** The filtered list, or null when the body is not FastAPI's envelope (a list under {@code detail}). */
  static JsonArray of(Buffer body) {
    Object detail;
    try {
      detail = StrictJson.parseObject(body == null ? new byte[0] : body.getBytes()).getValue("detail");
    } catch (StrictJson.MalformedException e) {
      return null;
    }
    if (!(detail instanceof JsonArray entries)) {
      return null;
    }
    JsonArray kept = new JsonArray();
    for (Object entry : entries) {
      if (entry instanceof JsonObject fields) {
        kept.add(keep(fields));
      }
    }
    return kept;
  }

  private static JsonObject keep(JsonObject fields) {
    JsonObject kept = new JsonObject();
    for (String name : KEPT) {
      Object value = fields.getValue(name);
      if (value instanceof JsonArray || value instanceof String) {
        kept.put(name, value);
      }
    }
    return kept;
  }
}
