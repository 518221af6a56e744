package io.tokengateway.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping being read into a record: typed getters with defaults, {@code GATEWAY_*}
 * environment overrides for scalars (CONTRACT §3), and {@link #finish()} to reject unknown keys.
 */
public final class ConfigNode {

  private final JsonObject json;
  private final String path;
  private final Map<String, String> env;
  private final Set<String> read = new HashSet<>();

  /** A value from a {@code GATEWAY_*} variable: text to convert, unlike a YAML string, which must stay a string. */
  private record EnvValue(String text) {}

  /** {@code env} null = no overrides (the tenants file). */
  public ConfigNode(JsonObject json, String path, Map<String, String> env) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
    this.env = env;
  }

  public String path() {
    return path;
  }

  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    return json.containsKey(key) || override(key) != null;
  }

  public ConfigNode child(String key) {
    Object value = take(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(keyPath(key), "expected a mapping");
    }
    return new ConfigNode((JsonObject) value, keyPath(key), env);
  }

  /** The keys of a mapping whose keys are names (tenants), each as its own node. */
  public Map<String, ConfigNode> children(String key) {
    ConfigNode parent = child(key);
    Map<String, ConfigNode> children = new java.util.LinkedHashMap<>();
    for (String name : parent.json.fieldNames()) {
      children.put(name, parent.child(name));
    }
    return children;
  }

  public int integer(String key, int defaultValue) {
    Object value = scalar(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof EnvValue env) {
      try {
        return Integer.parseInt(env.text().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(keyPath(key), "expected an integer");
      }
    }
    if (value instanceof Integer || value instanceof Long && (long) value == (int) (long) value) {
      return ((Number) value).intValue();
    }
    throw new ConfigException(keyPath(key), "expected an integer");
  }

  public int integer(String key, int defaultValue, int min, int max) {
    int value = integer(key, defaultValue);
    if (value < min || value > max) {
      throw new ConfigException(keyPath(key), "must be between " + min + " and " + max);
    }
    return value;
  }

  /** A JSON number (integer or decimal) within [min, max]. */
  public double number(String key, double defaultValue, double min, double max) {
    Object value = scalar(key);
    double number;
    if (value == null) {
      number = defaultValue;
    } else if (value instanceof EnvValue env) {
      try {
        number = Double.parseDouble(env.text().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(keyPath(key), "expected a number");
      }
    } else if (value instanceof Number n) {
      number = n.doubleValue();
    } else {
      throw new ConfigException(keyPath(key), "expected a number");
    }
    if (!(number >= min && number <= max)) {
      throw new ConfigException(keyPath(key), "must be between " + min + " and " + max);
    }
    return number;
  }

  public boolean bool(String key, boolean defaultValue) {
    Object value = scalar(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof EnvValue env && ("true".equals(env.text()) || "false".equals(env.text()))) {
      return Boolean.parseBoolean(env.text());
    }
    throw new ConfigException(keyPath(key), "expected true or false");
  }

  /** A string, or {@code defaultValue} (which may be null) when absent or null. */
  public String string(String key, String defaultValue) {
    Object value = scalar(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof EnvValue env) {
      return env.text();
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(keyPath(key), "expected a string");
    }
    return s;
  }

  public List<String> strings(String key, List<String> defaultValue) {
    Object value = take(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(keyPath(key), "expected a list of strings");
    }
    List<String> list = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new ConfigException(keyPath(key), "expected a list of strings");
      }
      list.add(s);
    }
    return List.copyOf(list);
  }

  /** Fails on the first key that no getter asked for. */
  public void finish() {
    for (String key : json.fieldNames()) {
      if (!read.contains(key)) {
        throw new ConfigException(keyPath(key), "unknown key");
      }
    }
  }

  private Object take(String key) {
    read.add(key);
    return json.getValue(key);
  }

  private Object scalar(String key) {
    String override = override(key);
    Object value = take(key);
    if (override != null) {
      return "null".equals(override) ? null : new EnvValue(override);
    }
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new ConfigException(keyPath(key), "expected a single value");
    }
    return value;
  }

  private String override(String key) {
    if (env == null) {
      return null;
    }
    return env.get("GATEWAY_" + keyPath(key).toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
  }
}
