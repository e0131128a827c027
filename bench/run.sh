#!/usr/bin/env bash
# Runs every benchmark, bounded to a few minutes: Google Benchmark (request
# cost vs. the JSON-parse floor, policy scale, reload, listing), then the load
# test (windowguard serve vs. bench/reference_server on loopback with wrk) and
# the memory figures.  Prints the tables recorded in docs/performance.md.
# Usage: bench/run.sh [REPETITIONS]   (default 5; medians are reported)
set -euo pipefail
cd "$(dirname "$0")/.."
repetitions="${1:-5}"
scripts/install-deps.sh
for tool in wrk python3; do
  command -v "$tool" >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq "$tool" >/dev/null || sudo apt-get install -y -qq "$tool" >/dev/null; }
done
scripts/build.sh >/dev/null
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cores="$(nproc)"
server_core=0
client_core=$(( cores > 1 ? 1 : 0 ))

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"

echo "== Google Benchmark (median of $repetitions, pinned to core $server_core)"
taskset -c "$server_core" build/bench/windowguard_benchmarks --benchmark_repetitions="$repetitions" \
  --benchmark_report_aggregates_only=true --benchmark_min_time=0.2 2>/dev/null | grep -E '_median|^Benchmark'

echo "== load test: 30 KB review, TLS, keep-alive unless noted (server on core $server_core, wrk on core $client_core)"
tests/support/make-test-certs.sh "$work/certs"
mkdir -p "$work/policies"
python3 - "$work/policies/policy.yaml" <<'PY'
import sys
kinds = ['weeklyRange: {from: "Sat 00:00", to: "Mon 06:00"}', 'daily: {from: "22:00", to: "06:00"}',
         'cron: {schedule: "0 22 * * 5", duration: 58h}', 'yearly: {from: "Dec 20 00:00", to: "Jan 2 00:00"}',
         'monthly: {from: "-1 18:00", to: "1 09:00"}']
out = ["apiVersion: windowguard.dev/v1", "kind: WindowPolicy", "windows:"]
for i in range(1000):
    out += [f"  - name: window-{i}", "    type: blackout", "    timeZone: Europe/Berlin", "    durations:",
            f"      - {kinds[i % 5]}"]
out.append("bindings:")
for i in range(1000):
    out += [f"  - windows: [window-{i}]", f"    environments: [{'prod-eu-1' if i < 20 else 'team-' + str(i)}]"]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
run_load() {  # label port connections close
  local label="$1" port="$2" connections="$3" close="$4"
  for attempt in $(seq "$repetitions"); do
    REVIEW=bench/data/review-30k.json CLOSE="$close" taskset -c "$client_core" \
      wrk -t1 -c"$connections" -d5s -s bench/post_review.lua "https://127.0.0.1:$port/validate" | grep RESULT
  done | sort -t= -k5 -n | awk -v label="$label" -v n="$repetitions" 'NR == int((n+1)/2) {print label, $0}'
}
rss() { awk '/VmRSS/{print $2 " KiB"}' "/proc/$1/status"; }
taskset -c "$server_core" build/bench/reference_server 18443 "$work/certs/server.crt" "$work/certs/server.key" 1 >/dev/null &
reference=$!
taskset -c "$server_core" build/windowguard serve --listen 127.0.0.1:18444 --threads 1 --log-level warn \
  --tls-cert "$work/certs/server.crt" --tls-key "$work/certs/server.key" --policies "$work/policies" >/dev/null &
windowguard=$!
sleep 2
echo "windowguard idle RSS with 1,000 windows: $(rss $windowguard)"
for connections in 16 64; do
  run_load "reference   c=$connections keep-alive" 18443 "$connections" 0
  run_load "windowguard c=$connections keep-alive" 18444 "$connections" 0
done
run_load "reference   c=16 new TLS connection per request" 18443 16 1
run_load "windowguard c=16 new TLS connection per request" 18444 16 1
after_first="$(rss $windowguard)"
run_load "windowguard c=64 keep-alive (second identical run)" 18444 64 0
echo "windowguard RSS after the load runs: $after_first, after one more identical run: $(rss $windowguard)"
kill "$reference" "$windowguard"
wait 2>/dev/null || true

echo "== memory with 10,000 windows"
python3 - "$work/policies/policy.yaml" <<'PY'
import sys
out = ["apiVersion: windowguard.dev/v1", "kind: WindowPolicy", "windows:"]
for i in range(10000):
    out += [f"  - name: window-{i}", "    type: blackout", "    timeZone: America/New_York", "    durations:",
            '      - weeklyRange: {from: "Sat 00:00", to: "Mon 06:00"}']
out.append("bindings:")
for i in range(10000):
    out += [f"  - windows: [window-{i}]", f"    environments: [team-{i}]"]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
build/windowguard serve --listen 127.0.0.1:18445 --threads 1 --log-level warn \
  --tls-cert "$work/certs/server.crt" --tls-key "$work/certs/server.key" --policies "$work/policies" >/dev/null &
big=$!
sleep 4
echo "windowguard idle RSS with 10,000 windows: $(rss $big)"
kill "$big"
