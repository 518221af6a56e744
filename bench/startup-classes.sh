#!/usr/bin/env bash
# Writes src/main/resources/startup/classes.txt (io.tokengateway.StartupClasses): the classes a single-node start
# loads from the jar and from the JDK outside its CDS archive, in load order, up to /health/ready. Run it after a
# dependency upgrade (a stale list only loses the gain) and commit the result; then rebuild the jar.
# Usage (project root): bench/startup-classes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'tenants:\n  t1: {}\n' > "$work/tenants.yaml"
cat > "$work/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: 18194}
management: {host: 127.0.0.1, port: 18195}
decart: {baseUrl: "http://127.0.0.1:18080"}
jwt: {hmacSecretEnv: TOKEN_GATEWAY_BENCH_SECRET, algorithms: [HS256], audience: token-gateway}
tenants: {file: "$work/tenants.yaml"}
YAML
export TOKEN_GATEWAY_BENCH_SECRET=bench-secret-bench-secret-bench-secret-00 DECART_API_KEY=dct_bench
# The list itself is not used while it is made, so it holds what the start needs, not what the last list named.
java -Xmx256m -Dtokengateway.startup.preload=false -Xlog:class+load:file="$work/loaded.txt" \
  -jar target/token-gateway.jar --conf "$work/gateway.yaml" > "$work/log" 2>&1 &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:18195/health/ready; do
  kill -0 "$pid" 2>/dev/null || { tail -5 "$work/log"; exit 1; }
  sleep 0.01
done
cp "$work/loaded.txt" "$work/at-ready.txt"   # what shutdown loads afterwards is not startup's
kill -TERM "$pid"; wait "$pid" || true
awk '$NF ~ /token-gateway\.jar$/ || $NF ~ /^jrt:\// {print $2}' "$work/at-ready.txt" \
  | grep -v -e '\$\$Lambda' -e '^io\.tokengateway\.StartupClasses$' > src/main/resources/startup/classes.txt
echo "$(wc -l < src/main/resources/startup/classes.txt) classes in src/main/resources/startup/classes.txt"
