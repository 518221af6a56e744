package io.tokengateway.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One (tenant, user)'s recent admissions (CONTRACT §4 {@code perUserPerMinute}): a ring of the last C stamps. An
 * admission is allowed only when the C-th previous one is at least 60 s old, which with C = N is exactly "at most
 * N in any 60 s". O(1) and lock-free: one CAS claims the next slot, a second moves the head (any thread may).
 * The ring starts with C = min(N, 16) and is replaced by a larger one only when a user really has C admissions in
 * the window, so memory follows use (8 bytes per admission in the window), not the configured N. The ring has one
 * slot more than C: the slot claimed for admission k holds admission k - C - 1, never one still needed, so a
 * window is retired by claiming its next slot with a seal, after which its admissions are final and copied exactly.
 */
final class UserWindow {

  static final long WINDOW_MS = 60_000;
  /** {@link #tryAdmit}: N admissions are younger than {@link #WINDOW_MS}. */
  static final long REFUSED = -1;
  /** {@link #tryAdmit}: C admissions are in the window but N is larger: {@link #grown} it, then admit. */
  static final long FULL = -2;
  /** {@link #tryAdmit}: this window was sealed for a successor; admit on that one. */
  static final long RETIRED = -3;
  /** C of a new window: a user with fewer admissions per minute never costs more. */
  static final int INITIAL_CAPACITY = 16;
  private static final long NANOS_PER_MS = 1_000_000;
  /** A slot holds a stamp (ms on the limiter's clock, which starts at 0: 34 years fit) under a lap tag. */
  private static final int STAMP_BITS = 40;
  private static final long STAMP_MASK = (1L << STAMP_BITS) - 1;
  private static final long LAP_MASK = (1L << (Long.SIZE - STAMP_BITS)) - 1;
  /** The stamp of the slot that seals a window; no admission carries it. */
  private static final long SEALED = STAMP_MASK;
  /** Object header, array reference, limit, capacity and head; then the array's header (64-bit, compressed oops). */
  private static final int OBJECT_BYTES = 32;
  private static final int ARRAY_HEADER_BYTES = 16;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(UserWindow.class, "head", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int limit;
  private final int capacity;
  /** Slot {@code k % (C + 1)}: admission k tagged with its lap once claimed, else admission k - C - 1. */
  private final long[] slots;
  /** Admissions so far, which is the index of the next one. */
  private volatile long head;

  UserWindow(int limit) {
    this(limit, Math.min(limit, INITIAL_CAPACITY));
  }

  private UserWindow(int limit, int capacity) {
    this.limit = limit;
    this.capacity = capacity;
    this.slots = new long[capacity + 1];
  }

  int limit() {
    return limit;
  }

  /** Heap bytes of this window, for the cache's weigher. */
  int bytes() {
    return OBJECT_BYTES + ARRAY_HEADER_BYTES + Long.BYTES * slots.length;
  }

  /**
   * Admits one at {@code now} (nanos): the admission's index, or {@link #REFUSED}, {@link #FULL}, {@link #RETIRED}.
   * Stamps are rounded up and {@code now} down to the millisecond, so rounding can refuse a request up to 1 ms
   * early, never admit one.
   */
  long tryAdmit(long now) {
    long nowMs = now / NANOS_PER_MS;
    long stamp = (now + NANOS_PER_MS - 1) / NANOS_PER_MS;
    while (true) {
      long k = head;
      int slot = (int) (k % slots.length);
      long value = (long) SLOT.getVolatile(slots, slot);
      if (lapOf(value) == lap(k)) {
        if (stampOf(value) == SEALED) {
          return RETIRED;
        }
        HEAD.compareAndSet(this, k, k + 1);  // claimed by a thread that has not moved the head yet: help it
      } else if (lapOf(value) == previousLap(k)) {  // else the head moved on meanwhile: read it again
        // Admission k - C stays in its slot until admission k + 1: the CAS below proves k is still next.
        if (k >= capacity && stampAt(k - capacity) + WINDOW_MS > nowMs) {
          return capacity < limit ? FULL : REFUSED;
        }
        if (SLOT.compareAndSet(slots, slot, value, lap(k) << STAMP_BITS | stamp)) {
          HEAD.compareAndSet(this, k, k + 1);
          return k;
        }
      }
    }
  }

  /** Nanos until {@link #tryAdmit} can succeed (0 = now). */
  long waitNanos(long now) {
    while (true) {
      long k = head;
      long value = (long) SLOT.getVolatile(slots, (int) (k % slots.length));
      if (lapOf(value) == previousLap(k)) {
        if (k < capacity || capacity < limit) {
          return 0; // room, or room once grown
        }
        return Math.max((stampAt(k - capacity) + WINDOW_MS) * NANOS_PER_MS - now, 0);
      }
      if (lapOf(value) == lap(k)) {
        if (stampOf(value) == SEALED) {
          return 0;
        }
        HEAD.compareAndSet(this, k, k + 1);
      }
    }
  }

  /** The oldest of the last C admissions up to {@code index} still inside the window at {@code now}: O(log C). */
  long oldestInWindow(long index, long now) {
    long nowMs = now / NANOS_PER_MS;
    long low = Math.max(0, index - capacity + 1);
    long high = index;
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (stampAt(middle) + WINDOW_MS > nowMs) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  /** Admissions left after admission {@code index}, given {@link #oldestInWindow}. */
  long remaining(long index, long oldest) {
    return Math.max(limit - (index - oldest + 1), 0);
  }

  /** Nanos until admission {@code oldest} leaves the window, giving one admission back. */
  long nanosUntilExpiry(long oldest, long now) {
    return Math.max((stampAt(oldest) + WINDOW_MS) * NANOS_PER_MS - now, 0);
  }

  /** This window's successor for a new limit (a reload), holding its most recent admissions still in the window. */
  UserWindow resized(int newLimit, long now) {
    return successor(newLimit, Math.min(newLimit, Math.max(INITIAL_CAPACITY, capacity)), now);
  }

  /** This window's successor with twice the capacity (at most N), after {@link #FULL}. */
  UserWindow grown(long now) {
    return successor(limit, (int) Math.min(limit, 2L * capacity), now);
  }

  private UserWindow successor(int newLimit, int newCapacity, long now) {
    UserWindow fresh = new UserWindow(newLimit, newCapacity);
    long last = seal() - 1;
    if (last < 0) {
      return fresh;
    }
    long first = Math.max(oldestInWindow(last, now), last - newCapacity + 1);
    for (long index = first; index <= last; index++) {
      fresh.slots[(int) (index - first)] = fresh.lap(index - first) << STAMP_BITS | stampAt(index);
    }
    fresh.head = last - first + 1;
    return fresh;
  }

  /** Ends admissions here (idempotent): returns their final count, the index of the sealed slot. */
  private long seal() {
    while (true) {
      long k = head;
      int slot = (int) (k % slots.length);
      long value = (long) SLOT.getVolatile(slots, slot);
      if (lapOf(value) == lap(k)) {
        if (stampOf(value) == SEALED) {
          return k;
        }
        HEAD.compareAndSet(this, k, k + 1);
      } else if (lapOf(value) == previousLap(k)
        && SLOT.compareAndSet(slots, slot, value, lap(k) << STAMP_BITS | SEALED)) {
        return k;
      }
    }
  }

  private long stampAt(long index) {
    return stampOf((long) SLOT.getVolatile(slots, (int) (index % slots.length)));
  }

  private long lap(long index) {
    return (index / slots.length + 1) & LAP_MASK;
  }

  private long previousLap(long index) {
    return (index / slots.length) & LAP_MASK;
  }

  private static long lapOf(long value) {
    return value >>> STAMP_BITS;
  }

  private static long stampOf(long value) {
    return value & STAMP_MASK;
  }
}
