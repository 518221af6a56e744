#!/usr/bin/env bash
# The request path with every feature on (issue 17 target 1), profiled with JFR: one gateway jar against
# its own nginx fake Decart (fast), wrk `fast-many`, then CPU and allocation per request and the top frames.
# Own ports and work dir, so it never meets the shared harness (18080-18099):
#   bench/request-path.sh [JAR|ceiling] [label] [connections=64] [warm-up s=20] [measured s=20]
# `ceiling` runs the yardstick `VertxCeiling --stack web` (Router + WebClient, no features) the same way, from the
# classpath in $HP_CP (target/classes:target/test-classes:<dependencies>, see bench/README.md).
# Features on: 1,000 user blocks in force (none matching a bench user, taken through the admin API),
# session admission on every tenant (caps never reached; the fake's expiresAt is in the past, so each lease
# ends at its confirm), counts, ledger (+ audit line), metrics, access log. Leaves results in
# $HP_WORK/results/<label>.{jfr,txt}. Needs nginx, wrk, node (keys), jcmd and jfr (Java 17).
set -euo pipefail
jar=${1:-target/token-gateway.jar}; [ "$jar" = ceiling ] || jar=$(realpath "$jar"); label=${2:-run}; conns=${3:-64}; warm=${4:-20}; secs=${5:-20}
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$here/../../shared/bench}
export BENCH_WORK=${HP_WORK:-/tmp/hotpath-bench} UPSTREAM_PORT=${HP_UPSTREAM_PORT:-19180}
port=${HP_GW_PORT:-19190}; mgmt=${HP_GW_MGMT_PORT:-19191}
work=$BENCH_WORK; run=$work/run/hotpath; out=$work/results; mkdir -p "$run" "$out"
node "$shared/gen-keys.mjs" --out "$work/keys" --quiet
[ -f "$work/run/upstream.pid" ] && kill -0 "$(cat "$work/run/upstream.pid")" 2>/dev/null \
  || "$shared/start-upstream.sh" fast

cat > "$run/tenants.yaml" <<YAML
unknownTenants: reject
defaults:
  rateLimit: {perSecond: 0, burst: 100, perUserPerMinute: 0}
  sessions: {maxConcurrent: 1000000, defaultSessionSeconds: 10}
tenants: {t0: {}, t1: {}, t2: {}, t3: {}, t4: {}, t5: {}, t6: {}, t7: {}, t8: {}, t9: {}}
YAML
cat > "$run/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: $port}
management: {host: 127.0.0.1, port: $mgmt, adminTokenEnv: HP_ADMIN_TOKEN}
decart: {baseUrl: 'http://127.0.0.1:$UPSTREAM_PORT', apiKeyEnv: HP_DECART_API_KEY, maxConnections: 256}
jwt:
  publicKeyFile: '$work/keys/public.pem'
  issuer: 'https://idp.perf-anchor.invalid/'
  audience: token-gateway
  claims: {tenant: tenant_id}
tenants: {file: '$run/tenants.yaml'}
sessions: {quotaPollSeconds: 0}
YAML
admin=hotpath-admin-token-0123456789abcdef0123456789
if [ "$jar" = ceiling ]; then
  nohup java -Xmx256m -XX:+UseParallelGC ${HP_JAVA_OPTS:-} -cp "$HP_CP" io.tokengateway.bench.VertxCeiling \
    --port "$port" --stack web --upstream "http://127.0.0.1:$UPSTREAM_PORT" --pool 256 > "$run/gateway-$label.log" 2>&1 &
else
  HP_ADMIN_TOKEN=$admin HP_DECART_API_KEY=dct_bench nohup java -Xmx256m -XX:+UseParallelGC ${HP_JAVA_OPTS:-} \
    -jar "$jar" --conf "$run/gateway.yaml" > "$run/gateway-$label.log" 2>&1 &
fi
pid=$!
# Stop it and wait (a gateway drains for 5 s and holds its ports until then); keep the log's head (errors).
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; truncate -s '<1M' "$run/gateway-$label.log"; }
trap stop EXIT
for i in $(seq 1 300); do
  [ "$jar" = ceiling ] && ss -Htln "sport = :$port" | grep -q . && break
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mgmt/health/ready")" = 200 ] && break; sleep 0.1
done
[ "$jar" = ceiling ] || for i in $(seq 0 999); do printf 'url = "%s"\noutput = "/dev/null"\n' \
  "http://127.0.0.1:$mgmt/admin/blocks/t$((i % 10))/users/blocked-$i"; done | curl -s -X PUT -H "Authorization: Bearer $admin" -d '{"reason":"bench"}' --parallel -K - 2> /dev/null
blocks=$(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$mgmt/admin/blocks" | grep -o '"user":"blocked-' | wc -l || true)

load() { WRK_TOKENS_FILE=$work/keys/tokens.txt WRK_TOKEN_FILE=$work/keys/token.jwt WRK_THREADS=2 wrk -t2 -c"$conns" -d"$1"s --timeout 10s \
  -s "$shared/wrk/${HP_WRK_SCRIPT:-post-token-many.lua}" "http://127.0.0.1:$port/v1/client/tokens" | grep RESULT; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }   # utime + stime, clock ticks
# Per thread: "tid ticks name" (the name's digits dropped, so the two event loops count as one).
threads() { for t in /proc/$pid/task/*; do
  echo "${t##*/} $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}') $(tr -d '0-9' < "$t/comm" | tr ' ' _)"; done; }
# JFR's profile settings, sampling CPU every 2 ms and up to 2,000 allocations a second (more stacks per run).
jfr configure --input profile --output "$run/request-path.jfc" "jdk.ExecutionSample#period=2 ms" \
  "jdk.ObjectAllocationSample#throttle=2000/s" > /dev/null
# Enabling JFR retransforms the JDK's I/O classes and the JIT recompiles thousands of methods (~40 % of the CPU in
# the first seconds): a recording with the same settings runs through the warm-up, so the measured one starts warm.
# HP_JFR=0 runs without it (no profile, only the figures above it): for comparisons the profiler could tilt, e.g. of
# transports (JFR instruments the JDK's socket channels, jdk.SocketRead/Write, which Netty's native epoll bypasses).
jfr=${HP_JFR:-1}
[ "$jfr" = 0 ] || jcmd $pid JFR.start name=warm settings="$run/request-path.jfc" > /dev/null
load "$warm" > /dev/null
[ "$jfr" = 0 ] || jcmd $pid JFR.start name=hp settings="$run/request-path.jfc" filename="$out/$label.jfr" > /dev/null
c0=$(cpu); t0=$(date +%s.%N); threads > "$run/threads0"
result=$(load "$secs")
c1=$(cpu); t1=$(date +%s.%N); threads > "$run/threads1"
[ "$jfr" = 0 ] || { jcmd $pid JFR.stop name=hp > /dev/null; jcmd $pid JFR.stop name=warm > /dev/null; }
rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
other=$(awk '{print $1}' /proc/loadavg)
{
  echo "label=$label jar=$jar conns=$conns blocks=$blocks rss_mb=$rss loadavg1=$other $(date -u +%FT%TZ)"
  echo "$result"
  req=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v r="$req" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "cpu_cores=%.2f cpu_us_per_req=%.1f\n", (c1 - c0) / hz / (t1 - t0), (c1 - c0) / hz * 1e6 / r }'
  # Each thread's share of the process's CPU over the window, from /proc (counts time in system calls too,
  # which JFR's samples miss): the Log4j2 writer is "Log4j2-TF--Asy", the event loops "vert.x-eventlo".
  awk 'NR == FNR { before[$1] = $2; next } { d[$3] += $2 - before[$1]; all += $2 - before[$1] }
    END { for (n in d) if (d[n] > 0) printf "thread_cpu_share %5.1f%% %s\n", 100 * d[n] / all, n }' \
    "$run/threads0" "$run/threads1" | sort -k2 -nr | head -6
  [ "$jfr" = 0 ] || python3 "$here/jfr-summary.py" "$out/$label.jfr" "$req"
} | tee "$out/$label.txt"
