#!/usr/bin/env bash
# CPU (or allocation) profile of the gateway the shared harness started, under `fast` load, with
# async-profiler attached after a warm-up (so JIT warm-up is not in the profile), then a summary.
# Usage (from the project root):
#   ../shared/bench/start-upstream.sh fast && ../shared/bench/start-gateway.sh target/token-gateway.jar
#   bench/profile.sh [cpu|alloc] [out.collapsed] [connections] [warm-up s] [profiled s]
#   ../shared/bench/stop-all.sh
# async-profiler comes from Maven Central (tools.profiler:async-profiler, which bundles the native library).
set -euo pipefail
mode=${1:-cpu}; out=${2:-/tmp/gateway-$mode.collapsed}; conns=${3:-64}; warm=${4:-20}; secs=${5:-15}
work=${BENCH_WORK:-/tmp/token-gateway-bench}
here=$(cd "$(dirname "$0")" && pwd)
lua=${SHARED_BENCH:-$here/../../shared/bench}/wrk/post-token.lua
version=4.1
jar=~/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
[ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version
lib=$work/async-profiler/linux-x64/libasyncProfiler.so
[ -f "$lib" ] || (mkdir -p "$work/async-profiler" && cd "$work/async-profiler" && unzip -q -o "$jar")
pid=$(cat "$work/run/gateway.pid")
event=$([ "$mode" = alloc ] && echo alloc || echo itimer,interval=1ms)
load() { (cd "$work" && wrk -t2 -c"$conns" -d"$1"s --timeout 10s -s "$lua" \
  http://127.0.0.1:${BENCH_GW_PORT:-18094}/v1/client/tokens | grep RESULT); }
load "$warm"
# jcmd parses key=value pairs itself: the agent's options go in as one quoted argument.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=$event\"" > /dev/null
load "$secs"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$out\"" > /dev/null
python3 "$here/frames.py" "$out"
