package io.tokengateway.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from Prometheus text output: the metric name and its labels (in any order). */
public final class Metrics {

  private Metrics() {}

  /** The value of the sample whose name is {@code name} and whose labels include all of {@code labels} ("k=v"); 0 if absent. */
  public static double sample(String scrape, String name, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
    Matcher matcher = line.matcher(scrape);
    while (matcher.find()) {
      String labelSet = matcher.group(1) == null ? "" : matcher.group(1);
      boolean all = true;
      for (String label : labels) {
        String[] kv = label.split("=", 2);
        all &= labelSet.contains(kv[0] + "=\"" + kv[1] + "\"");
      }
      if (all) {
        return Double.parseDouble(matcher.group(2));
      }
    }
    return 0;
  }
}
