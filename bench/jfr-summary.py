#!/usr/bin/env python3
"""Summarises a JFR recording of the gateway under load (Java 17's `jfr print --json`): bytes allocated per
request (from the allocation samples' weights, and from the heap before/after each GC as a cross-check), the
allocation by class and by site, CPU samples by library and top frame, and the share of samples (CPU and
allocation) whose stack contains each needle.
Usage: bench/jfr-summary.py FILE.jfr REQUESTS [needle ...]"""
import collections
import json
import subprocess
import sys

NEEDLES = ['io.vertx.micrometer', 'io.micrometer', 'AccessLog', 'org.apache.logging', 'Audit', 'Ledger',
           'VerifiedTokens', 'Reporter', 'OutcomeFeed', 'GatewayMetrics', 'PolicyEnforcer', 'TokenRequest',
           'SessionAdmission', 'Blocks', 'RateLimiter', 'DecartClient', 'io.vertx.ext.web.client']
GROUPS = [('io.netty', 'netty'), ('io.vertx.core', 'vertx-core'), ('io.vertx.ext.web.client', 'web-client'),
          ('io.vertx.ext.web', 'vertx-web'), ('io.vertx.micrometer', 'vertx-micrometer'),
          ('io.micrometer', 'micrometer'), ('org.apache.logging', 'log4j2'), ('com.lmax', 'disruptor'),
          ('com.fasterxml', 'jackson'), ('com.github.benmanes', 'caffeine'), ('io.tokengateway', 'gateway'),
          ('java.', 'jdk'), ('jdk.', 'jdk'), ('sun.', 'jdk')]


def frames(event):
    stack = event['values'].get('stackTrace') or {}
    return [(f['method']['type']['name'] + '.' + f['method']['name']).replace('/', '.')
            for f in stack.get('frames') or []]


def group(frame):
    return next((name for prefix, name in GROUPS if frame.startswith(prefix)), 'other')


def top(counter, total, n, unit=''):
    for name, value in counter.most_common(n):
        print(f'{100 * value / total:5.1f}%  {name}{unit}')


def main():
    path, requests = sys.argv[1], int(sys.argv[2])
    needles = sys.argv[3:] or NEEDLES
    raw = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '64', '--events',
                          'jdk.ObjectAllocationSample,jdk.ExecutionSample,jdk.GCHeapSummary', path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)['recording']['events']
    # A thread's first samples after the recording starts weigh everything it allocated before (the warm-up, GBs):
    # drop samples heavier than 20x the 90th percentile (a steady-state sample weighs ~1 MB here).
    allocs = [e for e in events if e['type'] == 'jdk.ObjectAllocationSample']
    p90 = sorted(e['values']['weight'] for e in allocs)[len(allocs) * 9 // 10] if allocs else 0
    allocs = [e for e in allocs if e['values']['weight'] <= 20 * p90]
    cpu = [e for e in events if e['type'] == 'jdk.ExecutionSample']
    heap = sorted((e for e in events if e['type'] == 'jdk.GCHeapSummary'),
                  key=lambda e: (e['values']['gcId'], e['values']['when'] != 'Before GC'))
    weight = sum(e['values']['weight'] for e in allocs) or 1
    by_gc, after = 0, None
    for e in heap:
        used = e['values']['heapUsed']
        if e['values']['when'] == 'Before GC' and after is not None:
            by_gc += used - after
        elif e['values']['when'] == 'After GC':
            after = used
    print(f'alloc_bytes_per_req={weight / requests:.0f} (samples) '
          f'{by_gc / requests:.0f} (heap between {len(heap) // 2} GCs, a lower bound)')
    by_class, by_site, by_thread = collections.Counter(), collections.Counter(), collections.Counter()
    for e in allocs:
        w, fs = e['values']['weight'], frames(e)
        by_class[e['values']['objectClass']['name'].replace('/', '.')] += w
        ours = next((f for f in fs if f.startswith('io.tokengateway')), None)
        by_site[(fs[0] if fs else '?') + ('  <- ' + ours if ours and ours != fs[0] else '')] += w
        by_thread[(e['values'].get('eventThread') or {}).get('javaName', '?').rstrip('0123456789-')] += w
    print('-- allocation by thread'); top(by_thread, weight, 6)
    print('-- allocation by class'); top(by_class, weight, 15)
    print('-- allocation by site (top frame <- first gateway frame)'); top(by_site, weight, 25)
    print(f'-- CPU: {len(cpu)} samples, self time by library')
    stacks = [frames(e) for e in cpu]
    total = len(stacks) or 1
    top(collections.Counter(group(s[0]) for s in stacks if s), total, 12)
    print('-- CPU: top frames (self)'); top(collections.Counter(s[0] for s in stacks if s), total, 20)
    threads = [(e['values'].get('sampledThread') or {}).get('javaName', '?') for e in cpu]
    print('-- CPU by thread'); top(collections.Counter(t.rstrip('0123456789-') for t in threads), total, 6)
    # Log4j2's async logger thread formats and writes every line: its own top frames, as shares of all samples.
    logger = [s for s, t in zip(stacks, threads) if 'AsyncLogger' in t]
    print(f'-- CPU: top frames (self) on the async logger thread ({100 * len(logger) / total:.1f}% of samples)')
    top(collections.Counter(s[0] for s in logger if s), total, 15)
    print('-- share of stacks containing (CPU samples | allocated bytes)')
    for needle in needles:
        hits = sum(1 for s in stacks if any(needle in f for f in s))
        bytes_ = sum(e['values']['weight'] for e in allocs if any(needle in f for f in frames(e)))
        print(f'{100 * hits / total:5.1f}% | {100 * bytes_ / weight:5.1f}% ({bytes_ / requests:6.0f} B/req)  {needle}')


main()
