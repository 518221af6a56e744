package io.tokengateway.stats;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/** Passes an {@link Outcome} (immutable) by reference on the local event bus; it never goes on the wire. */
public final class OutcomeCodec implements MessageCodec<Outcome, Outcome> {

  /** Idempotent: several gateways may share one Vert.x instance (tests). */
  public static void register(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(Outcome.class, new OutcomeCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier gateway on this Vert.x instance
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Outcome outcome) {
    throw new UnsupportedOperationException("outcome events are local only");
  }

  @Override
  public Outcome decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("outcome events are local only");
  }

  @Override
  public Outcome transform(Outcome outcome) {
    return outcome;
  }

  @Override
  public String name() {
    return "token-gateway-outcome";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
