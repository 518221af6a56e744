#!/usr/bin/env bash
# Issue 17 target 3: the overload curve. The packaged gateway with the shipped settings (conf/gateway.yaml's
# decart.* defaults: maxConnections 512, maxInFlight 2000; the JVM flags of k8s/deployment.yaml, with the heap
# sized as under its memory limit through -XX:MaxRAM) against the shared harness's slow fake Decart (50 ms),
# driven by src/test/java/io/tokengateway/bench/Overload.java at 64 -> 4096 connections. Per step: goodput
# (200/s), refused (503/s), p50/p99 of the 200s and of the 503s apart, other statuses, timeouts, errors,
# the gateway's highest VmRSS during the step, its VmHWM, and its CPU (cores used, µs per answer). Table on stdout and in bench/results/overload-*.txt.
# Usage (project root): bench/overload.sh [steps="64 128 256 512 1024 2048 4096"] [mode=honor|ignore]
# Env: OVERLOAD_SECONDS (10) measured per step, OVERLOAD_WARMUP (5) per step, OVERLOAD_NMT=1 (NMT summary in the
# middle of the last step, into the results file), OVERLOAD_JAVA_OPTS (instead of the Deployment's flags),
# OVERLOAD_MAX_RAM (512m, the Deployment's memory limit), BENCH_WORK / ports as in ../shared/bench/lib.sh.
set -euo pipefail
steps=${1:-64 128 256 512 1024 2048 4096}
mode=${2:-honor}
seconds=${OVERLOAD_SECONDS:-10}
warmup=${OVERLOAD_WARMUP:-5}
cd "$(dirname "$0")/.."
root=$(pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
. "$shared/lib.sh"
ulimit -n "$(ulimit -Hn)"                 # 4,096 client sockets + as many on the gateway + its Decart pool
(( $(ulimit -n) >= 10000 )) || die "ulimit -n is $(ulimit -n); 4,096 connections need ~9,000 descriptors"

mvn -B -q -o package -DskipTests
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
ensure_keys
"$shared/start-upstream.sh" slow

# The Deployment's JAVA_TOOL_OPTIONS, read from k8s/deployment.yaml so that this measures what ships.
shipped=$(awk '/name: JAVA_TOOL_OPTIONS/ {on = 1; next} on && /value:/ {next}
               on && /^ *-/ {printf "%s ", $0; next} on {exit}' k8s/deployment.yaml | tr -s ' ')
java_opts=${OVERLOAD_JAVA_OPTS:-"-XX:MaxRAM=${OVERLOAD_MAX_RAM:-512m} $shipped"}
[ "${OVERLOAD_NMT:-0}" = 1 ] && java_opts="$java_opts -XX:NativeMemoryTracking=summary"

work="$RUN_DIR/overload"; mkdir -p "$work"
printf 'unknownTenants: reject\ndefaults:\n  rateLimit: {perSecond: 0, burst: 100, perUserPerMinute: 0}\ntenants:\n  t1: {}\n' \
  > "$work/tenants.yaml"
cat > "$work/gateway.yaml" <<YAML
# bench/overload.sh: the shipped defaults except addresses, the bench's JWT key and its tenant (no rate limit).
server: {host: 127.0.0.1, port: $BENCH_GW_PORT}
management: {host: 127.0.0.1, port: $BENCH_GW_MGMT_PORT}
decart: {baseUrl: '$UPSTREAM_URL', apiKeyEnv: BENCH_DECART_API_KEY}
jwt:
  publicKeyFile: '$KEYS_DIR/public.pem'
  issuer: '$BENCH_JWT_ISSUER'
  audience: '$BENCH_JWT_AUDIENCE'
  claims: {tenant: $BENCH_TENANT_CLAIM}
tenants: {file: '$work/tenants.yaml'}
YAML
for p in "$BENCH_GW_PORT" "$BENCH_GW_MGMT_PORT"; do port_busy "$p" && die "port $p is already in use"; done
# shellcheck disable=SC2086
java $java_opts -jar target/token-gateway.jar --conf "$work/gateway.yaml" > "$work/gateway.log" 2>&1 &
gw=$!
echo "$gw" > "$work/gateway.pid"
trap 'kill -TERM $gw 2>/dev/null; wait $gw 2>/dev/null || true; rm -f "$work/gateway.pid"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$BENCH_GW_MGMT_PORT/health/ready"; do
  kill -0 "$gw" 2>/dev/null || { tail -20 "$work/gateway.log"; die "gateway exited"; }
  sleep 0.1
done

client() {  # users warmup seconds -> one key=value line
  java -Xmx512m -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
    io.tokengateway.bench.Overload "http://127.0.0.1:$BENCH_GW_PORT/v1/client/tokens" "$KEYS_DIR/token.jwt" \
    "$1" "$2" "$3" "$mode" "$gw"
}
kb() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' "/proc/$gw/status"; }

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="bench/results/overload-$stamp.txt"
{
  echo "# bench/overload.sh $stamp, commit $(git rev-parse --short HEAD)$(git diff --quiet || echo +dirty), mode $mode"
  echo "# gateway: java $java_opts  (heap $(java $java_opts -XX:+PrintFlagsFinal -version 2>/dev/null |
        awk '$2 == "MaxHeapSize" {print int($4 / 1048576) " MB max"} $2 == "InitialHeapSize" {printf "%d MB initial, ", $4 / 1048576}'))"
  echo "# decart: 50 ms fake (harness slow mode); steps ${warmup} s warm-up + ${seconds} s measured; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
client 256 20 1 > /dev/null   # priming: the JIT, the pools
printf '%6s %9s %10s %8s %8s %8s %8s %6s %8s %6s %7s %7s %6s %7s\n' conns 'ok/s' 'refused/s' 'ok p50' 'ok p99' '503 p50' \
  '503 p99' other timeouts errors 'RSS MB' 'HWM MB' 'cores' 'µs/ans' | tee -a "$out"
for n in $steps; do
  peak=0; began=$SECONDS; rm -f "$work/nmt.txt"
  client "$n" "$warmup" "$seconds" > "$work/step.txt" &
  load=$!
  while kill -0 "$load" 2>/dev/null; do
    rss=$(kb VmRSS); (( rss > peak )) && peak=$rss
    if [ "${OVERLOAD_NMT:-0}" = 1 ] && [ ! -f "$work/nmt.txt" ] && (( SECONDS - began >= warmup + seconds / 2 )); then
      jcmd "$gw" VM.native_memory summary > "$work/nmt.txt"   # mid-step, under load
    fi
    sleep 0.25
  done
  wait "$load"
  line=$(cat "$work/step.txt")
  v() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<< "$line"; }
  printf '%6s %9s %10s %8s %8s %8s %8s %6s %8s %6s %7s %7s %6s %7s\n' "$n" "$(v ok_per_s)" "$(v refused_per_s)" \
    "$(v ok_p50_ms)" "$(v ok_p99_ms)" "$(v refused_p50_ms)" "$(v refused_p99_ms)" "$(v other)" "$(v timeouts)" \
    "$(v errors)" "$peak" "$(kb VmHWM)" "$(v gateway_cores)" "$(v gateway_us_per_answer)" | tee -a "$out"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg); latencies in ms; RSS = highest VmRSS sampled every 0.25 s;" \
  "cores, µs/ans = the gateway's CPU (utime + stime) over the measured seconds, per second and per answer" | tee -a "$out"
if [ "${OVERLOAD_NMT:-0}" = 1 ]; then
  echo "# NMT summary in the middle of the last step (${n} connections):" | tee -a "$out"
  tee -a "$out" < "$work/nmt.txt"
fi
