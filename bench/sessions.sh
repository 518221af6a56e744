#!/usr/bin/env bash
# Session admission under load (issue 13's "sessions variant", issue 17 target 5), fast-many (64 connections,
# 10,000 distinct tokens, the shared harness's wrk script), against the harness's nginx fake Decart:
#   phase single:  one node with admission off and one with admission on (caps never reached), loaded in turn,
#                  interleaved reps: req/s, p50/p99 and CPU per request of each.
#   phase cluster: three nodes in one Hazelcast cluster on loopback with admission on, 1,000 user blocks in
#                  force and cluster-wide counts, plus a single node with the same config; each loaded alone in
#                  turn while the others idle: per-node req/s, CPU per request of the loaded node and of all
#                  three, and the p50/p99 of the atomic check-and-take (token_gateway_session_take_seconds,
#                  from the loaded node's histogram, the run's delta).
#   --compare JAR: a second 3-node cluster of another jar (c1..c3) beside the first, its nodes measured right
#                  after the first's (before/after a change, one run).
#   --detail:      for each loaded node also its CPU per request by thread group (from two `jcmd Thread.print`
#                  dumps; threads that ended in between are missing from them) and its system calls per request
#                  (`perf stat`, needs perf).
#   --perf:        for each loaded node also a `perf record` of it and of the other nodes of its cluster (6 s in
#                  the window's middle, JIT code named by `jcmd Compiler.perfmap`): each one's CPU per request by
#                  kind of code and its top symbols, in $SESSIONS_BENCH_WORK/perf-<node>.txt (needs perf).
# Usage (from the project root, after `mvn -B -q package -DskipTests`):
#   bench/sessions.sh [--reps N] [--duration S] [--phases single,cluster] [--compare JAR] [--detail] [--perf]
# Ports 19300-19431 and 5951-5966 (Hazelcast, event bus); state under $SESSIONS_BENCH_WORK
# (/tmp/token-gateway-sessions-bench). Needs what ../shared/bench needs (nginx, wrk, node). Every process shares
# the machine's cores with wrk and the fake Decart: compare figures within one run only.
set -euo pipefail
reps=3 duration=10 phases=single,cluster compare= detail= profile=
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --phases) phases=$2; shift 2 ;;
    --compare) compare=$(realpath "$2"); shift 2 ;;
    --detail) detail=1; shift ;;
    --perf) profile=1; shift ;;
    *) echo "usage: $0 [--reps N] [--duration S] [--phases single,cluster] [--compare JAR] [--detail] [--perf]" >&2
       exit 2 ;;
  esac
done
root=$(pwd)
jar="$root/${JAR:-target/token-gateway.jar}"
[ -f "$jar" ] || { echo "no $jar: mvn -B -q package -DskipTests" >&2; exit 3; }
shared="$root/../shared/bench"
work=${SESSIONS_BENCH_WORK:-/tmp/token-gateway-sessions-bench}
mkdir -p "$work/cfg" "$work/logs"
export BENCH_WORK="$work/harness" UPSTREAM_PORT=19380 BENCH_DECART_API_KEY=dct_bench
export BENCH_ADMIN_TOKEN=bench-admin-token-bench-admin-token-0001
tick=$(getconf CLK_TCK)
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

"$shared/start-upstream.sh" fast
node "$shared/gen-keys.mjs" --out "$BENCH_WORK/keys" --quiet

tenants() {  # $1 = on|off: tenants t0..t9 of the tokens, no rate limits; admission with caps never reached
  echo "unknownTenants: reject"
  echo "defaults:"
  echo "  rateLimit: {perSecond: 0, burst: 100, perUserPerMinute: 0}"
  [ "$1" = on ] && echo "  sessions: {maxConcurrent: 1000000, defaultSessionSeconds: 10}"
  echo "tenants:"
  for i in 0 1 2 3 4 5 6 7 8 9; do echo "  t$i: {}"; done
}
tenants on > "$work/cfg/tenants-on.yaml"
tenants off > "$work/cfg/tenants-off.yaml"

config() {  # name port admission(on|off) cluster(true|false) hazelcastPort [members]
  cat > "$work/cfg/$1.yaml" <<YAML
server: {host: 127.0.0.1, port: $2}
management: {host: 127.0.0.1, port: $(($2 + 1)), adminTokenEnv: BENCH_ADMIN_TOKEN}
decart: {baseUrl: 'http://127.0.0.1:$UPSTREAM_PORT', apiKeyEnv: BENCH_DECART_API_KEY, maxConnections: 256}
jwt:
  publicKeyFile: '$BENCH_WORK/keys/public.pem'
  issuer: 'https://idp.perf-anchor.invalid/'
  audience: 'token-gateway'
  claims: {tenant: tenant_id}
tenants: {file: '$work/cfg/tenants-$3.yaml'}
sessions: {quotaPollSeconds: 0}
cluster:
  enabled: $4
  host: 127.0.0.1
  port: $5
  eventBusPort: $(($5 + 10))
  members: [${6:-'127.0.0.1:5951', '127.0.0.1:5952', '127.0.0.1:5953'}]
YAML
}

declare -A port pid jarof
start() {  # names...: start each, then wait until each is ready
  local n
  for n in "$@"; do
    java -Xmx256m -XX:+UseParallelGC -jar "${jarof[$n]:-$jar}" --conf "$work/cfg/$n.yaml" > "$work/logs/$n.log" 2>&1 &
    pid[$n]=$!
  done
  for n in "$@"; do
    local i
    for i in $(seq 600); do
      curl -sf -o /dev/null "http://127.0.0.1:$((port[$n] + 1))/health/ready" && break
      kill -0 "${pid[$n]}" 2>/dev/null || { tail -5 "$work/logs/$n.log" >&2; exit 1; }
      sleep 0.1
    done
  done
  log "ready: $*"
}
stop_all() {
  local n
  for n in "${!pid[@]}"; do kill "${pid[$n]}" 2>/dev/null || true; done
  for n in "${!pid[@]}"; do wait "${pid[$n]}" 2>/dev/null || true; unset "pid[$n]"; done
}
trap 'stop_all; "$shared/stop-all.sh" >/dev/null 2>&1 || true' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
take_buckets() {  # the loaded node's check-and-take histogram: "le count" lines
  curl -s "http://127.0.0.1:$(($1 + 1))/metrics" \
    | awk -F'[{}" ]+' '/^token_gateway_session_take_seconds_bucket/ {for (i = 1; i < NF; i++) if ($i == "le=") print $(i + 1), $NF}'
}
quantile() {  # before-file after-file q: the q-quantile (ms) of the run's delta, to the bucket's upper bound
  join <(sort "$1") <(sort "$2") | awk -v q="$3" '{le = ($1 == "+Inf") ? 1e9 : $1; print le, $3 - $2}' | sort -g \
    | awk -v q="$3" '{le[NR] = $1; c[NR] = $2} END {total = c[NR]; if (total == 0) {print "-"; exit}
        for (i = 1; i <= NR; i++) if (c[i] >= q * total) {printf "%.2f", le[i] * 1000; exit}}'
}
load() {  # target seconds -> "rps p50 p99 requests"
  (cd "$BENCH_WORK" && WRK_THREADS=2 WRK_TOKENS_FILE="$BENCH_WORK/keys/tokens.txt" wrk -t2 -c64 -d"$2s" \
    --timeout 10s -s "$shared/wrk/post-token-many.lua" "http://127.0.0.1:${port[$1]}/v1/client/tokens") \
    | awk '/^RESULT/ {for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}
        print v["rps"], v["p50_ms"], v["p99_ms"], v["requests"], v["non2xx"]}'
}
measure() {  # target nodes-to-count... : one measured run; prints a table row
  local target=$1; shift
  local n before=() after=() b="$work/take.before" a="$work/take.after"
  load "$target" 3 > /dev/null  # warm-up
  take_buckets "${port[$target]}" > "$b"
  [ -z "$detail" ] || { threads "${pid[$target]}" > "$work/threads.before"; syscalls "${pid[$target]}" & counter=$!; }
  [ -z "$profile" ] || { record "$@" & recorder=$!; }
  for n in "$@"; do before+=("$(cpu_ticks "${pid[$n]}")"); done
  read -r rps p50 p99 requests non2xx < <(load "$target" "$duration")
  local i=0 loaded=0 all=0 d
  for n in "$@"; do
    after=$(cpu_ticks "${pid[$n]}"); d=$((after - before[i])); all=$((all + d))
    [ "$n" = "$target" ] && loaded=$d
    i=$((i + 1))
  done
  take_buckets "${port[$target]}" > "$a"
  printf '| %s | %s | %s | %s | %s | %d | %d | %s | %s |\n' "$target" "$rps" "$p50" "$p99" "$non2xx" \
    $((loaded * 1000000 / tick / requests)) $((all * 1000000 / tick / requests)) \
    "$(quantile "$b" "$a" 0.5)" "$(quantile "$b" "$a" 0.99)"
  [ -z "$detail" ] || detail_lines "${pid[$target]}" "$requests" "$rps"
  [ -z "$profile" ] || profile_lines "$target" "$rps" "$@"
}
record() {  # nodes...: a perf record of each, the measured window's middle 6 s
  local n
  sleep 2
  for n in "$@"; do
    perf record -F 999 -p "${pid[$n]}" -o "$work/perf-$n.data" -- sleep 6 > /dev/null 2>&1 &
  done
  wait
}
profile_lines() {  # target rps nodes...: CPU per request of each node by kind of code, and its top symbols
  local target=$1 rps=$2 n; shift 2
  wait "$recorder"
  local out="$work/perf-$target.txt" per
  per=$(awk -v rps="$rps" 'BEGIN {print 1e6 / 999 / (6 * rps)}')  # µs of CPU per sample (999 Hz), per request
  : > "$out"
  for n in "$@"; do
    jcmd "${pid[$n]}" Compiler.perfmap > /dev/null 2>&1 || true
    { echo "## $n while $target is loaded: µs per request of $target"
      perf_report "$work/perf-$n.data" dso "$per" | sort -rn
      perf_report "$work/perf-$n.data" sym "$per" | sort -rn | awk 'NR <= 25'; } >> "$out"
  done
  awk -v t="$target" '/^## / {node = $2} $3 == "dso" {sum[node] += $1} END {
      for (k in sum) printf "|   | perf: %s %.1f µs per request of %s |\n", k, sum[k], t}' "$out" | sort
}
perf_report() {  # file dso|sym µs-per-sample -> "µs key name" lines
  perf report -i "$1" --no-children --sort "$2" -F "overhead,sample,$2" 2> /dev/null | awk -v k="$2" -v f="$3" \
    '!/^#/ && NF >= 3 {s = $2; $1 = $2 = ""; sub(/^ +/, ""); printf "%8.2f µs  %s %s\n", s * f, k, $0}'
}
threads() {  # pid -> "thread-group|CPU ms" from the JVM's thread dump (numbers and Hazelcast's instance name folded)
  jcmd "$1" Thread.print 2> /dev/null | awk '/^"/ && match($0, /cpu=[0-9.]+ms/) {
      name = $0; sub(/^"/, "", name); sub(/".*/, "", name); gsub(/[0-9]+/, "#", name); sub(/^hz\.[^.]*\./, "hz.", name)
      cpu[name] += substr($0, RSTART + 4, RLENGTH - 6)} END {for (k in cpu) print k "|" cpu[k]}' | sort
}
syscalls() {  # pid: counts system calls of the measured window's middle 6 s into $work/syscalls.txt
  sleep 2
  perf stat -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_wait,context-switches \
    -p "$1" -- sleep 6 2> "$work/syscalls.txt" > /dev/null || true
}
detail_lines() {  # pid requests rps
  wait "$counter"
  threads "$1" > "$work/threads.after"
  join -t'|' "$work/threads.before" "$work/threads.after" | awk -F'|' -v req="$2" \
    '$3 - $2 > 0.1 * req / 1000 {printf "|   | thread group %s: %.2f µs/req |\n", $1, ($3 - $2) * 1000 / req}'
  awk -F, -v rps="$3" '$1 ~ /^[0-9]+$/ {printf "|   | %s per request: %.2f |\n", $3, $1 / 6 / rps}' "$work/syscalls.txt"
}
header() {
  echo "| target | req/s | p50 ms | p99 ms | non-2xx | µs CPU/req (loaded node) | µs CPU/req (all nodes) | take p50 ms | take p99 ms |"
  echo "|---|---|---|---|---|---|---|---|---|"
}
block_users() {  # management port: 1,000 user blocks, none of a bench user (bench users are u…)
  local i
  for i in $(seq 1000); do
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' \
      -d '{"reason":"bench"}' "http://127.0.0.1:$1/admin/blocks/t$((i % 10))/users/blocked-$i"
  done
}
prime() { local n; for n in "$@"; do load "$n" 10 > /dev/null; done; }

echo "# bench/sessions.sh $(date -u +%Y%m%dT%H%M%SZ), $(nproc) cores, reps $reps x ${duration}s, fast-many (64 conns)"
echo "# jar $(sha256sum "$jar" | cut -c1-12), java $(java -version 2>&1 | head -1)"
if [[ ",$phases," == *,single,* ]]; then
  port[off]=19300 port[on]=19310
  config off 19300 off false 5961
  config on 19310 on false 5962
  start off on
  prime off on
  echo; echo "## single node: admission off / on (caps never reached)"; header
  for r in $(seq "$reps"); do measure off off; measure on on; done
  stop_all
fi
if [[ ",$phases," == *,cluster,* ]]; then
  port[single]=19320 port[n1]=19330 port[n2]=19340 port[n3]=19350
  config single 19320 on false 5963
  config n1 19330 on true 5951
  config n2 19340 on true 5952
  config n3 19350 on true 5953
  started=(single n1 n2 n3)
  if [ -n "$compare" ]; then  # ports 19410-19431, Hazelcast 5954-5956, event bus 5964-5966
    for i in 1 2 3; do
      port[c$i]=$((19400 + 10 * i)) jarof[c$i]=$compare
      config c$i $((19400 + 10 * i)) on true $((5953 + i)) "'127.0.0.1:5954', '127.0.0.1:5955', '127.0.0.1:5956'"
    done
    started+=(c1 c2 c3)
    echo "# compared: c1..c3 run $(sha256sum "$compare" | cut -c1-12)"
  fi
  start "${started[@]}"
  block_users 19321  # 1,000 user blocks in force on the single node and, through n1 (and c1), on the cluster(s)
  block_users 19331
  [ -z "$compare" ] || block_users 19411
  log "blocks: $(curl -s -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" http://127.0.0.1:19351/admin/blocks | grep -o '"user":"blocked' | wc -l) user blocks seen on n3"
  prime "${started[@]}"
  echo; echo "## 3-node cluster (admission on, 1,000 blocks, cluster-wide counts) and one single node alike"; header
  for r in $(seq "$reps"); do
    measure single single
    for i in 1 2 3; do
      measure "n$i" n1 n2 n3
      [ -z "$compare" ] || measure "c$i" c1 c2 c3
    done
  done
fi
