package io.tokengateway.sessions;

import io.tokengateway.auth.Caller;
import io.tokengateway.tenant.Tenant;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * This node's requests waiting for a slot (CONTRACT §12 "Waiting"), per account in arrival order. Confined to
 * one context: every method runs on it. Holds no thread: a waiter is a promise and a timer.
 */
final class WaitingLine {

  /** One parked request: what it would take, how long it may wait, what it was last refused for. */
  static final class Waiter {
    final Tenant tenant;
    final Caller caller;
    final int expiresIn;
    final int sessionSeconds;
    final int waitSeconds;
    final long sinceNanos = System.nanoTime();
    final Promise<Grant> promise = Promise.promise();
    Take.Verdict last;
    long timer = -1;

    Waiter(Tenant tenant, Caller caller, int expiresIn, int sessionSeconds, int waitSeconds, Take.Verdict last) {
      this.tenant = tenant;
      this.caller = caller;
      this.expiresIn = expiresIn;
      this.sessionSeconds = sessionSeconds;
      this.waitSeconds = waitSeconds;
      this.last = last;
    }
  }

  private final Map<String, List<Waiter>> byAccount = new HashMap<>();
  private final Map<String, Integer> byTenant = new HashMap<>();

  /** False (and nothing added) when the tenant already has {@code maxWaiting} requests waiting here. */
  boolean add(Waiter waiter) {
    String tenant = waiter.tenant.id();
    if (byTenant.getOrDefault(tenant, 0) >= waiter.tenant.sessions().maxWaiting()) {
      return false;
    }
    byAccount.computeIfAbsent(waiter.tenant.account(), a -> new ArrayList<>()).add(waiter);
    byTenant.merge(tenant, 1, Integer::sum);
    return true;
  }

  /** True when it was still waiting. */
  boolean remove(Waiter waiter) {
    List<Waiter> line = byAccount.get(waiter.tenant.account());
    if (line == null || !line.remove(waiter)) {
      return false;
    }
    if (line.isEmpty()) {
      byAccount.remove(waiter.tenant.account());
    }
    byTenant.computeIfPresent(waiter.tenant.id(), (t, n) -> n == 1 ? null : n - 1);
    return true;
  }

  /**
   * The order a freed slot of {@code account} is offered in: the longest-waiting requests of tenants below
   * their guarantee first, then everyone by arrival.
   */
  List<Waiter> offerOrder(String account, Predicate<Waiter> belowGuarantee) {
    List<Waiter> line = byAccount.getOrDefault(account, List.of());
    List<Waiter> order = new ArrayList<>(line.size());
    line.stream().filter(belowGuarantee).forEach(order::add);
    line.stream().filter(belowGuarantee.negate()).forEach(order::add);
    return order;
  }

  Iterable<String> accounts() {
    return List.copyOf(byAccount.keySet());
  }

  Map<String, Integer> waitingByTenant() {
    return Map.copyOf(byTenant);
  }
}
