package io.tokengateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The strict JSON reader of CONTRACT §5, shared by the body, the JWT and the relay check:
 * duplicate keys, comments, trailing garbage and nesting deeper than {@link #MAX_DEPTH} fail.
 * Integers stay {@code Long} (or {@code BigInteger}); anything with a fraction or exponent
 * becomes a {@code BigDecimal}, so "60" and "6e1" stay distinguishable.
 */
public final class StrictJson {

  public static final int MAX_DEPTH = 32;

  /** Not JSON, or not the shape asked for. The message is safe to show: it never quotes input. */
  public static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private static final JsonFactory FACTORY = JsonFactory.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
    .build();

  private StrictJson() {}

  /** Parses exactly one JSON object filling the whole input. */
  public static JsonObject parseObject(byte[] input) throws MalformedException {
    try (JsonParser parser = FACTORY.createParser(input)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedException("the body must be a JSON object");
      }
      JsonObject object = readObject(parser);
      if (parser.nextToken() != null) {
        throw new MalformedException("unexpected content after the JSON object");
      }
      return object;
    } catch (IOException e) {
      throw new MalformedException(describe(e));
    }
  }

  /**
   * Checks the whole input as strictly as {@link #parseObject} without building it, and returns the
   * values of the named root fields that are strings (null for absent or another type): what the relay
   * needs to know about Decart's answer, at a fraction of the allocation.
   */
  public static String[] rootStrings(byte[] input, String... names) throws MalformedException {
    String[] values = new String[names.length];
    try (JsonParser parser = FACTORY.createParser(input)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedException("the body must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        int wanted = indexOf(names, parser.currentName());
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING && wanted >= 0) {
          values[wanted] = parser.getText();
        } else {
          parser.skipChildren();  // still tokenized, so still checked
        }
      }
      if (parser.nextToken() != null) {
        throw new MalformedException("unexpected content after the JSON object");
      }
      return values;
    } catch (IOException e) {
      throw new MalformedException(describe(e));
    }
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static JsonObject readObject(JsonParser parser) throws IOException {
    JsonObject object = new JsonObject();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      object.put(name, readValue(parser, parser.nextToken()));
    }
    return object;
  }

  private static JsonArray readArray(JsonParser parser) throws IOException {
    JsonArray array = new JsonArray();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      array.add(readValue(parser, token));
    }
    return array;
  }

  private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: return readObject(parser);
      case START_ARRAY: return readArray(parser);
      case VALUE_STRING: return parser.getText();
      case VALUE_NUMBER_INT: return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT: return parser.getDecimalValue();
      case VALUE_TRUE: return Boolean.TRUE;
      case VALUE_FALSE: return Boolean.FALSE;
      case VALUE_NULL: return null;
      default: throw new IOException("unexpected token " + token);
    }
  }

  /** Jackson's messages quote the input; keep only a fixed description of the kind of fault. */
  private static String describe(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Duplicate field")) {
      return "duplicate key";
    }
    if (message.contains("nesting depth")) {
      return "nesting deeper than " + MAX_DEPTH;
    }
    if (message.contains("end-of-input")) {
      return "unexpected end of input";
    }
    return "not valid JSON";
  }

  /** True for any finite JSON number. */
  public static boolean isNumber(Object value) {
    return value instanceof Long || value instanceof java.math.BigInteger || value instanceof BigDecimal;
  }
}
