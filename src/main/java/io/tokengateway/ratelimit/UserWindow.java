package io.tokengateway.ratelimit;

import io.tokengateway.tenant.RateLimit;

/**
 * One (tenant, user)'s recent admissions (CONTRACT §4 {@code perUserPerMinute}): a ring of the last C stamps, oldest
 * first. An admission is allowed only when the N-th previous one is at least 60 s old, which is exactly "at most N in
 * any 60 s". The ring starts with C = min(N, 16) and doubles (up to N) only when it is full of admissions younger than
 * 60 s, so memory follows use, not the configured N. A lock per user: only one user's own concurrent requests ever
 * meet on it, and the JMH bench shows no loss against the lock-free ring it replaced (bench/README.md).
 */
final class UserWindow {

  static final long WINDOW_MS = 60_000;
  /** C of a new window: a user with fewer admissions per minute never costs more. */
  static final int INITIAL_CAPACITY = 16;
  private static final long NANOS_PER_MS = 1_000_000;
  /** Object header, limit, first, size and the array reference; then the array's header (64-bit, compressed oops). */
  private static final int OBJECT_BYTES = 32;
  private static final int ARRAY_HEADER_BYTES = 16;

  private int limit;
  /** Stamps in ms on the limiter's clock (rounded up), {@code size} of them from {@code first} on, wrapping. */
  private long[] stamps;
  private int first;
  private int size;

  UserWindow(int limit) {
    this.limit = limit;
    this.stamps = new long[Math.min(limit, INITIAL_CAPACITY)];
  }

  synchronized int limit() {
    return limit;
  }

  /** Heap bytes of this window, for the cache's weigher. */
  synchronized int bytes() {
    return OBJECT_BYTES + ARRAY_HEADER_BYTES + Long.BYTES * stamps.length;
  }

  /** Nanos until an admission under {@code limit} can succeed at {@code now} (0 = now). */
  synchronized long waitNanos(int limit, long now) {
    adopt(limit, now);
    return size < this.limit ? 0 : nanosUntilExpiry(0, now);
  }

  /**
   * Admits one at {@code now} (nanos) under {@code limit}, or refuses with the wait; null when the ring is full of
   * admissions younger than 60 s and N allows more: {@link #grow()} it, then ask again. Stamps are rounded up and
   * {@code now} down to the millisecond, so rounding can refuse a request up to 1 ms early, never admit one.
   */
  synchronized Admission admit(RateLimit limit, long now) {
    adopt(limit.perUserPerMinute(), now);
    if (size == stamps.length && inWindow(0, now)) {
      return stamps.length < this.limit ? null
        : Admission.refused(limit, Admission.USER, nanosUntilExpiry(0, now));
    }
    if (size == stamps.length) {
      first = (first + 1) % stamps.length;  // the oldest left the window: its slot takes the newest
      size--;
    }
    stamps[(first + size) % stamps.length] = (now + NANOS_PER_MS - 1) / NANOS_PER_MS;
    size++;
    int oldest = oldestInWindow(now);
    return Admission.admitted(limit, Admission.USER, this.limit - (size - oldest), nanosUntilExpiry(oldest, now));
  }

  /** Twice the room (at most N), keeping every admission; after {@link #admit} answered null. */
  synchronized void grow() {
    if (size == stamps.length) {
      resize((int) Math.min(limit, 2L * stamps.length), 0);
    }
  }

  /** A changed N (a reload) keeps the most recent admissions still in the window, at most the new N. */
  private void adopt(int newLimit, long now) {
    if (newLimit != limit) {
      int capacity = Math.min(newLimit, Math.max(INITIAL_CAPACITY, stamps.length));
      limit = newLimit;
      resize(capacity, Math.max(oldestInWindow(now), size - capacity));
    }
  }

  /** A ring of {@code capacity} holding the admissions from the {@code from}-th oldest on. */
  private void resize(int capacity, int from) {
    long[] fresh = new long[capacity];
    for (int i = from; i < size; i++) {
      fresh[i - from] = stamp(i);
    }
    stamps = fresh;
    size -= from;
    first = 0;
  }

  /** Of the admissions in the ring, the position (0 = oldest) of the first one still in the window: O(log C). */
  private int oldestInWindow(long now) {
    int low = 0;
    int high = size;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (inWindow(middle, now)) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  private boolean inWindow(int position, long now) {
    return stamp(position) + WINDOW_MS > now / NANOS_PER_MS;
  }

  /** Nanos until the admission at {@code position} leaves the window, giving one admission back. */
  private long nanosUntilExpiry(int position, long now) {
    return position >= size ? 0 : Math.max((stamp(position) + WINDOW_MS) * NANOS_PER_MS - now, 0);
  }

  private long stamp(int position) {
    return stamps[(first + position) % stamps.length];
  }
}
