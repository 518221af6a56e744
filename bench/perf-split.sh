#!/usr/bin/env bash
# Where a request's CPU goes, kernel included: `perf record` of one process under bench/request-path.sh's load,
# split by kind of code (kernel, JIT-compiled Java, the JVM, vDSO) and by thread, with the top symbols.
# JFR (which request-path.sh records) sees Java frames only; this sees everything the process runs.
#   bench/perf-split.sh [JAR|ceiling] [label] [seconds=8]
# Needs perf (run as root, or perf_event_paranoid <= 1) and jcmd (Java 17: Compiler.perfmap names JIT code).
# `ceiling` needs $HP_CP as for request-path.sh. Leaves $HP_WORK/results/<label>.perf.txt.
set -euo pipefail
jar=${1:-target/token-gateway.jar}; label=${2:-split}; secs=${3:-8}
here=$(cd "$(dirname "$0")" && pwd)
work=${HP_WORK:-/tmp/hotpath-bench}; mkdir -p "$work/results"
[ "$jar" = ceiling ] && pattern=VertxCeiling || { jar=$(realpath "$jar"); pattern="-jar $jar"; }
HP_JFR=1 "$here/request-path.sh" "$jar" "$label" 64 15 $((secs + 12)) > "$work/results/$label.request-path.log" 2>&1 &
bench=$!
pid=
for i in $(seq 1 600); do  # the measured window starts with request-path.sh's second JFR recording, "hp" (so JFR on)
  [ -n "$pid" ] || pid=$(pgrep -f "^java.*$pattern" | head -1 || true)
  [ -n "$pid" ] && jcmd "$pid" JFR.check 2> /dev/null | grep -q 'name=hp' && break; sleep 0.5
done
sleep 2
perf record -F 1999 -p "$pid" -o "$work/results/$label.perf.data" -- sleep "$secs" > /dev/null 2>&1
jcmd "$pid" Compiler.perfmap > /dev/null
wait "$bench" || true
report() { perf report -i "$work/results/$label.perf.data" --no-children "$@" 2>/dev/null | grep -v '^#' | grep -v '^$'; }
{
  grep -h -E 'RESULT|cpu_us_per_req' "$work/results/$label.txt"
  echo "-- by kind of code"; report --sort dso | head -8
  echo "-- by thread"; report --sort comm | head -8
  echo "-- top symbols"; report --sort sym | head -30
} | tee "$work/results/$label.perf.txt"
