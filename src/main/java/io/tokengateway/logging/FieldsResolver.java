package io.tokengateway.logging;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.IndexedReadOnlyStringMap;

/**
 * {@code {"$resolver": "fields"}} in {@code logging/line.json}: a map message's fields ({@link LogLine}, the audit
 * lines) as top-level fields of the line, in the map's order, the same text Log4j2's {@code "map"} resolver with
 * {@code "flatten": true} writes, at a fraction of its cost on the writer thread (bench/README.md "Log lines"):
 * strings that need no escaping are appended whole, {@link Millis} as its digits.
 */
public final class FieldsResolver implements EventResolver {

  private static final FieldsResolver INSTANCE = new FieldsResolver();

  private FieldsResolver() {}

  @Override
  public boolean isFlattening() {
    return true;
  }

  @Override
  public boolean isResolvable(LogEvent event) {
    IndexedReadOnlyStringMap fields = fields(event.getMessage());
    return fields != null && !fields.isEmpty();
  }

  @Override
  public void resolve(LogEvent event, JsonWriter json) {
    resolve(event, json, false);
  }

  @Override
  public void resolve(LogEvent event, JsonWriter json, boolean succeedingEntry) {
    IndexedReadOnlyStringMap fields = fields(event.getMessage());
    if (fields == null) {
      return;
    }
    for (int i = 0; i < fields.size(); i++) {
      if (succeedingEntry || i > 0) {
        json.writeSeparator();
      }
      writeString(json, fields.getKeyAt(i));
      json.getStringBuilder().append(':');
      writeValue(json, fields.getValueAt(i));
    }
  }

  private static IndexedReadOnlyStringMap fields(Message message) {
    return message instanceof MapMessage ? ((MapMessage<?, ?>) message).getIndexedReadOnlyStringMap() : null;
  }

  /** The common types first; anything else as Log4j2 writes it. */
  private static void writeValue(JsonWriter json, Object value) {
    if (value instanceof String) {
      writeString(json, (String) value);
    } else if (value instanceof Millis) {
      ((Millis) value).formatTo(json.getStringBuilder());
    } else if (value instanceof Integer) {
      json.writeNumber((int) value);
    } else {
      json.writeValue(value);
    }
  }

  /**
   * Log4j2's {@code JsonWriter} appends a string char by char through its escape table ({@code quoteString}, the
   * writer thread's top frame). Nearly every value here needs no escaping: checked first, then appended whole.
   * Anything to escape, or longer than {@code maxStringLength}, goes to {@code JsonWriter} itself, so the line is
   * the same text as before whatever a value holds.
   */
  static void writeString(JsonWriter json, String value) {
    if (value.length() > json.getMaxStringLength() || needsEscaping(value)) {
      json.writeString(value);
    } else {
      json.getStringBuilder().append('"').append(value).append('"');
    }
  }

  /** What {@code JsonWriter} escapes: control characters, {@code "} and {@code \}. It copies every other char as is. */
  private static boolean needsEscaping(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  /** Registers the resolver under its template name (a Log4j2 plugin, indexed at compile time). */
  @Plugin(name = "FieldsResolverFactory", category = TemplateResolverFactory.CATEGORY)
  public static final class Factory implements EventResolverFactory {

    private static final Factory FACTORY = new Factory();

    private Factory() {}

    @PluginFactory
    public static Factory getInstance() {
      return FACTORY;
    }

    @Override
    public String getName() {
      return "fields";
    }

    @Override
    public FieldsResolver create(EventResolverContext context, TemplateResolverConfig config) {
      return INSTANCE;
    }
  }
}
