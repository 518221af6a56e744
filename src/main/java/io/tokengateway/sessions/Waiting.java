package io.tokengateway.sessions;

import io.tokengateway.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives the {@link WaitingLine} (CONTRACT §12 "Waiting") on the admission's own context: parks a refused
 * request, offers each freed slot in the line's order, one take at a time, and ends a wait at its timer or
 * when the caller leaves. A slot frees on a release anywhere in the cluster (an event-bus message) or by time
 * (a retry every {@link SessionAdmission#RETRY_MS} while anyone waits).
 */
final class Waiting {

  private final SessionAdmission admission;
  private final Vertx vertx;
  private final WaitingLine line = new WaitingLine();
  /** Each tenant's leases as the latest take reported them: who is below its guarantee. */
  private final Map<String, Integer> heldByTenant = new HashMap<>();
  private final Set<String> draining = new HashSet<>();
  private final Set<String> drainAgain = new HashSet<>();
  private volatile Map<String, Integer> waitingByTenant = Map.of();
  private MessageConsumer<String> freed;
  private long retryTimer = -1;

  Waiting(SessionAdmission admission) {
    this.admission = admission;
    this.vertx = admission.vertx();
  }

  Future<Void> start() {
    freed = vertx.eventBus().consumer(SessionAdmission.FREED_ADDRESS,
      message -> admission.context().runOnContext(v -> drain(message.body())));
    retryTimer = vertx.setPeriodic(SessionAdmission.RETRY_MS,
      id -> admission.context().runOnContext(v -> line.accounts().forEach(this::drain)));
    return freed.completion();
  }

  void stop() {
    vertx.cancelTimer(retryTimer);
    if (freed != null) {
      freed.unregister();
    }
  }

  Map<String, Integer> byTenant() {
    return waitingByTenant;
  }

  Future<Grant> park(WaitingLine.Waiter waiter, Future<Void> callerGone) {
    admission.context().runOnContext(v -> {
      if (!line.add(waiter)) {
        waiter.promise.fail(admission.refused(waiter.tenant, waiter.last));  // maxWaiting: refused at once
        return;
      }
      changed();
      waiter.timer = vertx.setTimer(waiter.waitSeconds * 1000L, id -> end(waiter));
      callerGone.onComplete(gone -> admission.context().runOnContext(x -> end(waiter)));
      drain(waiter.tenant.account());  // a slot may have freed since the refusal
    });
    return waiter.promise.future();
  }

  /** The wait is over (its time, or the caller left): refused as it would have been. */
  private void end(WaitingLine.Waiter waiter) {
    if (leave(waiter)) {
      waiter.promise.fail(admission.refused(waiter.tenant, waiter.last));
    }
  }

  private boolean leave(WaitingLine.Waiter waiter) {
    if (!line.remove(waiter)) {
      return false;
    }
    vertx.cancelTimer(waiter.timer);
    admission.metrics().sessionWaited(System.nanoTime() - waiter.sinceNanos);
    changed();
    return true;
  }

  private void drain(String account) {
    if (!draining.add(account)) {
      drainAgain.add(account);
      return;
    }
    List<WaitingLine.Waiter> order = line.offerOrder(account,
      waiter -> heldByTenant.getOrDefault(waiter.tenant.id(), 0) < admission.guaranteed(waiter.tenant));
    offer(account, order.iterator(), new HashSet<>());
  }

  /** Offers the slot to each waiter in turn until one is refused for a reason that holds for those behind it. */
  private void offer(String account, Iterator<WaitingLine.Waiter> order, Set<String> fullTenants) {
    while (order.hasNext()) {
      WaitingLine.Waiter waiter = order.next();
      Tenant tenant = waiter.tenant;
      if (fullTenants.contains(tenant.id())) {
        continue;
      }
      String leaseId = LeaseIds.next();
      admission.take(tenant, waiter.caller, leaseId, waiter.expiresIn, waiter.sessionSeconds).onComplete(done -> {
        if (done.failed()) {
          finish(account);
          return;
        }
        Take.Verdict verdict = done.result();
        heldByTenant.put(tenant.id(), verdict.tenantHeld());
        if (verdict.granted()) {
          admitted(waiter, leaseId);
        } else {
          waiter.last = verdict;
          if (verdict.refusal() == Refusal.TENANT) {
            fullTenants.add(tenant.id());
          } else if (verdict.refusal() != Refusal.USER && verdict.tenantHeld() >= admission.guaranteed(tenant)) {
            finish(account);  // the account is full for everyone not below a guarantee: all who follow
            return;
          }
        }
        offer(account, order, fullTenants);
      });
      return;
    }
    finish(account);
  }

  private void admitted(WaitingLine.Waiter waiter, String leaseId) {
    Grant grant = new Grant(leaseId, waiter.tenant.account(), waiter.tenant.id(), waiter.caller.userId(),
      waiter.sessionSeconds, waiter.waitSeconds);
    if (leave(waiter)) {
      waiter.promise.complete(grant);
    } else {
      admission.giveBack(grant);  // it left while the take was out
    }
  }

  private void finish(String account) {
    draining.remove(account);
    if (drainAgain.remove(account)) {
      drain(account);
    }
  }

  private void changed() {
    waitingByTenant = line.waitingByTenant();
  }
}
