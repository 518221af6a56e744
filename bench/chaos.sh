#!/usr/bin/env bash
# The chaos load of issue 18: the packaged gateway (shipped decart.* settings, every feature on) against a fake
# Decart answering after 10 ms and failing a random share of calls with 503; N callers with one new connection
# per request; SIGTERM at a chosen second. Prints each share's tally (every request's fate: status and code or
# connection error), Decart calls, tokens minted vs delivered, and the exit (kept in bench/results/chaos-*.txt);
# each request's fate goes to target/chaos/*.csv.
# Usage (project root): bench/chaos.sh [callers=40] [seconds=15] [sigterm-at-second=12] [shares="0.01 0.05 0.10 0.20 0.60"]
set -euo pipefail
callers=${1:-40}
seconds=${2:-15}
sigterm=${3:-12}
shares=${4:-0.01 0.05 0.10 0.20 0.60}
cd "$(dirname "$0")/.."
mvn -B -q -o package -DskipTests
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
mkdir -p bench/results target/chaos
stamp=$(date -u +%Y%m%dT%H%M%SZ)
for share in $shares; do
  java -Xmx256m -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.tokengateway.bench.Chaos \
    "$callers" "$seconds" "$share" "$sigterm" "target/chaos/$stamp-$share.csv"
done | tee "bench/results/chaos-$stamp.txt"
