package io.tokengateway.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.Serializable;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractOutputStreamAppender;
import org.apache.logging.log4j.core.appender.OutputStreamManager;
import org.apache.logging.log4j.core.async.RingBufferLogEvent;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.util.CloseShieldOutputStream;

/**
 * {@code <Stdout>} in {@code logging/log4j2.xml}: Log4j2's {@code <Console direct="true">}, except that it writes
 * stdout once per batch of the async loggers instead of once per line. Log4j2 2.26's Console appender ignores
 * {@code immediateFlush="false"} (apache/logging-log4j2#4262): every line was its own {@code write(2)}, 22,000
 * system calls a second at 11,000 token requests a second (bench/README.md "Log lines"). A line that does not come
 * through the async ring buffer (a synchronous logger) is written at once, as Console does.
 */
@Plugin(name = "Stdout", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class StdoutAppender extends AbstractOutputStreamAppender<OutputStreamManager> {

  /** A batch longer than this many bytes (~150 access lines) is written in pieces of this size. */
  static final int BUFFER_BYTES = 65_536;

  private StdoutAppender(String name, Layout<? extends Serializable> layout) {
    super(name, layout, null, true, false, Property.EMPTY_ARRAY,
      OutputStreamManager.getManager("stdout", layout, (managerName, managerLayout) -> new StdoutStream(managerLayout)));
  }

  @PluginFactory
  public static StdoutAppender create(@PluginAttribute("name") String name,
                                      @PluginElement("Layout") Layout<? extends Serializable> layout) {
    return new StdoutAppender(name, layout);
  }

  /** Buffered until the end of the async loggers' batch ({@code immediateFlush} off); any other line at once. */
  @Override
  public void append(LogEvent event) {
    super.append(event);
    if (!(event instanceof RingBufferLogEvent)) {
      getManager().flush();
    }
  }

  /** File descriptor 1, never closed (as Console's {@code direct="true"}), behind one buffer for every appender. */
  private static final class StdoutStream extends OutputStreamManager {

    StdoutStream(Layout<? extends Serializable> layout) {
      super(new CloseShieldOutputStream(new FileOutputStream(FileDescriptor.out)), "stdout", layout, true,
        BUFFER_BYTES);
    }
  }
}
