'use strict';
/*
 * What the page remembers of the §9 counts messages: per tenant, issued/denied/failed per second for the
 * last 15 minutes (a ring of one-second buckets), and each node's latest totals, leases and waiting
 * requests. A message covering several seconds is spread evenly over them.
 */
const KINDS = ['issued', 'denied', 'failed'];

class IssuanceHistory {
  constructor(seconds) {
    this.seconds = seconds;
    this.tenants = new Map();   // tenant -> {stamp: Float64Array, issued: Float64Array, …}
    this.nodes = new Map();     // node id -> {seenAt: ms, tenants: {…}}
    this.latestSecond = 0;      // server time of the latest message, in epoch seconds
    this.latestReceivedAt = 0;  // page time it arrived, in ms
  }

  add(message) {
    if (!message || typeof message !== 'object' || !message.tenants || typeof message.tenants !== 'object') return;
    const at = Date.parse(message.at);
    const end = Math.floor((Number.isNaN(at) ? Date.now() : at) / 1000);
    const span = Math.max(1, Math.round((Number(message.intervalMs) || 1000) / 1000));
    for (const [tenant, counts] of Object.entries(message.tenants)) {
      if (!counts || typeof counts !== 'object') continue;
      for (const kind of KINDS) {
        const count = Number(counts[kind]) || 0;
        if (count <= 0) continue;
        for (let s = 0; s < span; s++) this.bucket(tenant, end - s)[kind][(end - s) % this.seconds] += count / span;
      }
    }
    if (typeof message.node === 'string') this.nodes.set(message.node, { seenAt: Date.now(), tenants: message.tenants });
    if (end >= this.latestSecond) {
      this.latestSecond = end;
      this.latestReceivedAt = Date.now();
    }
  }

  /** The tenant's ring, its bucket for {@code second} cleared when it last held an older second. */
  bucket(tenant, second) {
    let ring = this.tenants.get(tenant);
    if (!ring) {
      ring = { stamp: new Float64Array(this.seconds) };
      for (const kind of KINDS) ring[kind] = new Float64Array(this.seconds);
      this.tenants.set(tenant, ring);
    }
    const i = second % this.seconds;
    if (ring.stamp[i] !== second) {
      ring.stamp[i] = second;
      for (const kind of KINDS) ring[kind][i] = 0;
    }
    return ring;
  }

  /** The current second on the server's clock: the latest message's, advanced by the page's clock since. */
  now() {
    if (!this.latestSecond) return Math.floor(Date.now() / 1000);
    return this.latestSecond + Math.floor((Date.now() - this.latestReceivedAt) / 1000);
  }

  /** Sum of one kind over [from, to] seconds for one tenant (null = every tenant). */
  sum(tenant, kind, from, to) {
    let total = 0;
    for (const [name, ring] of this.tenants) {
      if (tenant !== null && name !== tenant) continue;
      for (let s = from; s <= to; s++) {
        const i = s % this.seconds;
        if (ring.stamp[i] === s) total += ring[kind][i];
      }
    }
    return total;
  }

  rate(tenant, kind, windowSeconds) {
    const now = this.now();
    return this.sum(tenant, kind, now - windowSeconds + 1, now) / windowSeconds;
  }

  /** uPlot data: [x seconds, issued/s, denied/s, failed/s] over the whole window. */
  chartData(tenant) {
    const now = this.now();
    const from = now - this.seconds + 1;
    const xs = new Array(this.seconds);
    const series = KINDS.map(() => new Array(this.seconds).fill(0));
    for (let k = 0; k < this.seconds; k++) xs[k] = from + k;
    for (const [name, ring] of this.tenants) {
      if (tenant && name !== tenant) continue;
      for (let k = 0; k < this.seconds; k++) {
        const s = from + k;
        const i = s % this.seconds;
        if (ring.stamp[i] !== s) continue;
        KINDS.forEach((kind, j) => { series[j][k] += ring[kind][i]; });
      }
    }
    return [xs, ...series];
  }

  /** Per tenant, summed over the nodes' latest messages: totals, leased and waiting. */
  nodeSums() {
    const sums = new Map();
    for (const { tenants } of this.nodes.values()) {
      for (const [tenant, c] of Object.entries(tenants)) {
        if (!c || typeof c !== 'object') continue;
        const s = sums.get(tenant) || { issued: 0, denied: 0, failed: 0, leased: null, waiting: null };
        KINDS.forEach((kind) => { s[kind] += Number(c[kind + 'Total']) || 0; });
        if (typeof c.leased === 'number') s.leased = (s.leased || 0) + c.leased;
        if (typeof c.waiting === 'number') s.waiting = (s.waiting || 0) + c.waiting;
        sums.set(tenant, s);
      }
    }
    return sums;
  }

  tenantNames() {
    return Array.from(this.tenants.keys());
  }
}
