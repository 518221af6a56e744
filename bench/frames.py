#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file: self time by library, the top frames, and
(with more arguments) the share of samples whose stack contains each given string.
Usage: bench/frames.py FILE [substring ...]"""
import collections
import sys

GROUPS = [('io/netty', 'netty'), ('io/vertx/core', 'vertx-core'), ('io/vertx/ext/web/client', 'web-client'),
          ('io/vertx/ext/web', 'vertx-web'), ('io/vertx/micrometer', 'vertx-micrometer'), ('io/micrometer', 'micrometer'),
          ('io/vertx/circuitbreaker', 'circuit-breaker'), ('com/fasterxml', 'jackson'), ('io/tokengateway', 'gateway'),
          ('java/', 'jdk'), ('jdk/', 'jdk'), ('sun/', 'jdk')]
SYSCALLS = ('write', 'read', 'epoll', 'futex', 'pthread', 'vdso', 'clock')


def group(frame):
    for prefix, name in GROUPS:
        if frame.startswith(prefix):
            return name
    return 'native: syscalls' if any(s in frame for s in SYSCALLS) else 'native: vm, gc, jit'


stacks = []
for line in open(sys.argv[1]):
    stack, _, count = line.rstrip().rpartition(' ')
    stacks.append((stack.split(';'), int(count)))
total = sum(count for _, count in stacks) or 1
by_group, by_frame = collections.Counter(), collections.Counter()
for frames, count in stacks:
    by_group[group(frames[-1])] += count
    by_frame[frames[-1]] += count
print(f'{total} samples\n-- self time by library')
for name, count in by_group.most_common():
    print(f'{100 * count / total:5.1f}%  {name}')
print('-- top frames (self)')
for name, count in by_frame.most_common(15):
    print(f'{100 * count / total:5.1f}%  {name}')
if len(sys.argv) > 2:
    print('-- stacks containing')
    for needle in sys.argv[2:]:
        hits = sum(count for frames, count in stacks if any(needle in f for f in frames))
        print(f'{100 * hits / total:5.1f}%  {needle}')
