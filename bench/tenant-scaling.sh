#!/usr/bin/env bash
# req/s of the `fast` scenario as the number of configured tenants grows (1, 100, 10,000), with the
# shared harness's fake Decart, keys and wrk; each gateway is started here as an extra target.
# Usage (from the project root, jar built, after one run of ../shared/bench/bench.sh made the keys):
#   bench/tenant-scaling.sh [counts...]
set -euo pipefail
BENCH=${BENCH:-../shared/bench}
work=${BENCH_WORK:-/tmp/token-gateway-bench}
keys="$work/keys"
[ -f "$keys/public.pem" ] || { echo "no $keys/public.pem: run $BENCH/bench.sh once first"; exit 1; }
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
pid=
for count in "${@:-1 100 10000}"; do
  for n in $count; do
    { echo "unknownTenants: reject"
      echo "defaults: {rateLimit: {perSecond: 0, burst: 100, perUserPerMinute: 0}}"
      echo "tenants:"
      echo "  t1: {}"
      for ((i = 2; i <= n; i++)); do echo "  t$i: {}"; done
    } > "$dir/tenants.yaml"
    cat > "$dir/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: 18294}
management: {host: 127.0.0.1, port: 18295}
decart: {baseUrl: "http://127.0.0.1:18080", apiKeyEnv: BENCH_DECART_API_KEY, maxConnections: 256}
jwt: {publicKeyFile: "$keys/public.pem", issuer: "https://idp.perf-anchor.invalid/", audience: token-gateway, claims: {tenant: tenant_id}}
tenants: {file: "$dir/tenants.yaml"}
YAML
    BENCH_DECART_API_KEY=dct_bench java -Xmx256m ${BENCH_GW_JAVA_OPTS:-} -jar target/token-gateway.jar --conf "$dir/gateway.yaml" > "$dir/log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null http://127.0.0.1:18295/health/ready; do sleep 0.1; done
    configured=$(grep -c '^  t' "$dir/tenants.yaml")
    "$BENCH/bench.sh" --targets upstream --scenarios fast --reps 1 --prime-runs 1 "tenants$configured=http://127.0.0.1:18294" \
      | grep -E "^\s+fast +(upstream|tenants)" || true
    kill -TERM "$pid"; wait "$pid" || true
  done
done
