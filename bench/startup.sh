#!/usr/bin/env bash
# Time from `java -jar` to /health/ready 200 (CONTRACT §7), single-node and clustered (a lone member).
# Usage (from the project root, after `mvn -B -q package -DskipTests`): bench/startup.sh [runs]
# STARTUP_JAVA_OPTS adds JVM flags (e.g. -Dtokengateway.startup.preload=false for the start without the class
# preloader); STARTUP_MODES="single" skips the clustered runs.
set -euo pipefail
runs=${1:-5}
jar=${JAR:-target/token-gateway.jar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'tenants:\n  t1: {}\n' > "$work/tenants.yaml"
export TOKEN_GATEWAY_BENCH_SECRET=bench-secret-bench-secret-bench-secret-00 DECART_API_KEY=dct_bench
conf() {  # $1 = cluster yes|no
  cat <<YAML
server: {host: 127.0.0.1, port: 18194}
management: {host: 127.0.0.1, port: 18195}
decart: {baseUrl: "http://127.0.0.1:18080"}
jwt: {hmacSecretEnv: TOKEN_GATEWAY_BENCH_SECRET, algorithms: [HS256], audience: token-gateway}
tenants: {file: "$work/tenants.yaml"}
cluster: {enabled: $([ "$1" = yes ] && echo true || echo false), host: 127.0.0.1, port: 18196, members: ["127.0.0.1:18196"]}
YAML
}
measure() {  # $1 = cluster yes|no; prints ms to ready and RSS in MB once ready
  conf "$1" > "$work/gateway.yaml"
  local start now pid
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  java -Xmx256m ${STARTUP_JAVA_OPTS:-} -jar "$jar" --conf "$work/gateway.yaml" > "$work/log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:18195/health/ready; do
    sleep 0.01
    kill -0 "$pid" 2>/dev/null || { echo "gateway exited:"; tail -5 "$work/log"; return 1; }
  done
  now=$(date +%s%N)
  local rss
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  kill -TERM "$pid"; wait "$pid" || true
  echo "$(( (now - start) / 1000000 )) $rss"
}
modes=no; [ "${STARTUP_MODES:-single clustered}" = single ] || modes="no yes"
for mode in $modes; do
  label=$([ "$mode" = yes ] && echo clustered || echo single-node)
  results=()
  for ((i = 0; i < runs; i++)); do results+=("$(measure "$mode")"); done
  printf '%s\n' "${results[@]}" | sort -n | awk -v label="$label" '
    { ms[NR] = $1; rss[NR] = $2 }
    END { printf "%-12s ready in ms: min %d median %d max %d   RSS at ready: median %d MB  (%d runs)\n",
          label, ms[1], ms[int((NR + 1) / 2)], ms[NR], rss[int((NR + 1) / 2)], NR }'
done
