package io.tokengateway.stats;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/** Passes an {@link Outcome.Batch} (never changed once sent) by reference on the local event bus; it never goes on the wire. */
public final class OutcomeCodec implements MessageCodec<Outcome.Batch, Outcome.Batch> {

  /** Idempotent: several gateways may share one Vert.x instance (tests). */
  public static void register(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(Outcome.Batch.class, new OutcomeCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier gateway on this Vert.x instance
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Outcome.Batch batch) {
    throw new UnsupportedOperationException("outcome events are local only");
  }

  @Override
  public Outcome.Batch decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("outcome events are local only");
  }

  @Override
  public Outcome.Batch transform(Outcome.Batch batch) {
    return batch;
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
