package io.tokengateway.http;

import java.util.function.BooleanSupplier;

/**
 * What {@code /health/ready} reports (CONTRACT §7): ready once the public server listens and the
 * JWT keys are loaded, until shutdown begins. An open circuit never makes the pod unready.
 */
public final class Readiness {

  private final BooleanSupplier keysLoaded;
  private volatile boolean listening;
  private volatile boolean shuttingDown;

  public Readiness(BooleanSupplier keysLoaded) {
    this.keysLoaded = keysLoaded;
  }

  public void listening() {
    listening = true;
  }

  public void shuttingDown() {
    shuttingDown = true;
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  public boolean isListening() {
    return listening;
  }

  public boolean keysLoaded() {
    return keysLoaded.getAsBoolean();
  }
}
