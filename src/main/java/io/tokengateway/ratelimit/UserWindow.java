package io.tokengateway.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One (tenant, user)'s recent admissions (CONTRACT §4 {@code perUserPerMinute}): a ring of the last N stamps. An
 * admission is allowed only when the N-th previous one is at least 60 s old, which is exactly "at most N in any
 * 60 s". O(1) and lock-free: one CAS claims the slot, a second moves the head (any thread may do it). 8·N bytes.
 */
final class UserWindow {

  static final long WINDOW_MS = 60_000;
  /** {@link #tryAdmit}: N admissions are younger than {@link #WINDOW_MS}. */
  static final long REFUSED = -1;
  private static final long NANOS_PER_MS = 1_000_000;
  /** A slot holds a stamp (ms on the limiter's clock, which starts at 0: 34 years fit) under a lap tag. */
  private static final int STAMP_BITS = 40;
  private static final long STAMP_MASK = (1L << STAMP_BITS) - 1;
  private static final long LAP_MASK = (1L << (Long.SIZE - STAMP_BITS)) - 1;
  /** Object header, array reference and head; then the array's header (64-bit JVM, compressed oops). */
  private static final int OBJECT_BYTES = 24;
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

  /** Slot {@code k % N}: admission k tagged with its lap {@code k / N + 1} once claimed, else admission k - N. */
  private final long[] slots;
  /** Admissions so far, which is the index of the next one. */
  private volatile long head;

  UserWindow(int limit) {
    slots = new long[limit];
  }

  int limit() {
    return slots.length;
  }

  /** Heap bytes of this window, for the cache's weigher. */
  int bytes() {
    return OBJECT_BYTES + ARRAY_HEADER_BYTES + Long.BYTES * slots.length;
  }

  /**
   * Admits one at {@code now} (nanos): the admission's index, or {@link #REFUSED}. Stamps are rounded up and
   * {@code now} down to the millisecond, so rounding can refuse a request up to 1 ms early, never admit one.
   */
  long tryAdmit(long now) {
    long nowMs = now / NANOS_PER_MS;
    long stamp = (now + NANOS_PER_MS - 1) / NANOS_PER_MS;
    while (true) {
      long k = head;
      int slot = (int) (k % slots.length);
      long value = (long) SLOT.getVolatile(slots, slot);
      if (lapOf(value) == lap(k)) {
        HEAD.compareAndSet(this, k, k + 1);  // claimed by a thread that has not moved the head yet: help it
      } else if (lapOf(value) == previousLap(k)) {  // else the head moved on meanwhile: read it again
        if (k >= slots.length && stampOf(value) + WINDOW_MS > nowMs) {
          return REFUSED;
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
      if (k < slots.length) {
        return 0;
      }
      long value = (long) SLOT.getVolatile(slots, (int) (k % slots.length));
      if (lapOf(value) == previousLap(k)) {
        return Math.max((stampOf(value) + WINDOW_MS) * NANOS_PER_MS - now, 0);
      }
      if (lapOf(value) == lap(k)) {
        HEAD.compareAndSet(this, k, k + 1);
      }
    }
  }

  /** The oldest of the last N admissions up to {@code index} still inside the window at {@code now}: O(log N). */
  long oldestInWindow(long index, long now) {
    long nowMs = now / NANOS_PER_MS;
    long low = Math.max(0, index - slots.length + 1);
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
    return Math.max(slots.length - (index - oldest + 1), 0);
  }

  /** Nanos until admission {@code oldest} leaves the window, giving one admission back. */
  long nanosUntilExpiry(long oldest, long now) {
    return Math.max((stampAt(oldest) + WINDOW_MS) * NANOS_PER_MS - now, 0);
  }

  /** A window for a new limit holding the most recent of this one's admissions still inside the window. */
  UserWindow resized(int newLimit, long now) {
    UserWindow fresh = new UserWindow(newLimit);
    long last = head - 1;
    if (last < 0) {
      return fresh;
    }
    long first = Math.max(oldestInWindow(last, now), last - newLimit + 1);
    for (long index = first; index <= last; index++) {
      fresh.slots[(int) (index - first)] = fresh.lap(index - first) << STAMP_BITS | stampAt(index);
    }
    fresh.head = last - first + 1;
    return fresh;
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
