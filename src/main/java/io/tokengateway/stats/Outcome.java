package io.tokengateway.stats;

import java.util.List;

/**
 * What one authenticated request came to (CONTRACT §7 "Outcomes"): sent by the request path on
 * the local event bus, fire-and-forget, and counted by the {@link StatsVerticle}.
 * {@code tenant} is the tenant's stats key (bounded: configured ids plus one for the defaults).
 */
public record Outcome(String tenant, Kind kind, String code, int status, long upstreamNanos, int attempts) {

  /** CONTRACT §7: issued = relayed a 2xx; denied = refused by the gateway; failed = could not get a token. */
  public enum Kind {
    ISSUED("issued"), DENIED("denied"), FAILED("failed");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The outcomes of one event-loop turn: the body of one message to {@link #ADDRESS}. */
  public record Batch(List<Outcome> outcomes) {}

  /** Local-only address of the outcome events; never leaves the process. */
  public static final String ADDRESS = "token-gateway.outcomes";
}
