#!/usr/bin/env bash
# Runs every benchmark, bounded to a few minutes: Google Benchmark (request
# cost vs. the JSON-parse floor, policy scale, reload, listing), then the load
# test (windowguard serve vs. bench/reference_server on loopback with wrk) and
# the memory figures.  Prints the tables recorded in docs/performance.md.
# Usage: bench/run.sh [REPETITIONS]   (default 5; medians are reported)
set -euo pipefail
cd "$(dirname "$0")/.."
repetitions="${1:-5}"
scripts/install-deps.sh wrk python3
scripts/build.sh >/dev/null
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cores="$(nproc)"
server_core=0
client_core=$(( cores > 1 ? 1 : 0 ))

# perf stat exits 0 but prints "<not supported>" on machines without a PMU.
hardware_counters_work() {
  command -v perf >/dev/null || return 1
  local counted
  counted="$(perf stat -x, -e cycles,instructions true 2>&1 >/dev/null)" || return 1
  ! grep -q 'not supported\|not counted' <<<"$counted"
}

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"

echo "== Google Benchmark (median of $repetitions, repetitions interleaved at random, pinned to core $server_core)"
taskset -c "$server_core" build/bench/windowguard_benchmarks --benchmark_filter=-PairedRatio \
  --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true --benchmark_min_time=0.2 2>/dev/null | grep -E '_median|^Benchmark'
# The full path against the floor in pairs a millisecond apart
# (BM_PairedRatio*), one process after another: where a process's code and
# data land moves its ratio by a few hundredths, so the figure is the median
# over REPETITIONS processes.
echo "== request cost: full path / parse floor by time, in pairs within each process, median of $repetitions processes"
for process in $(seq "$repetitions"); do
  taskset -c "$server_core" build/bench/windowguard_benchmarks --benchmark_filter='PairedRatio' \
    --benchmark_min_time=1 --benchmark_format=json 2>/dev/null >"$work/paired-$process.json"
done
python3 - "$work"/paired-*.json <<'PY'
import json, statistics, sys
ratios = {}
for path in sys.argv[1:]:
    for run in json.load(open(path))["benchmarks"]:
        ratios.setdefault(run["name"], []).append(run["ratio"])
for name, values in ratios.items():
    size = ("4 KB", "30 KB", "200 KB")[int(name.rsplit("/", 1)[1])]
    print(f"{size} {name.split('/')[0]}: {statistics.median(values):.2f}x (processes {min(values):.2f}..{max(values):.2f})")
PY
if ! hardware_counters_work; then
  echo "== instructions per request, 4 KB review (callgrind; perf's counters, the instructions column above, are not available here)"
  bench/instructions.sh 0
fi

echo "== load test: 30 KB review, TLS, keep-alive unless noted (server on core $server_core, wrk on core $client_core)"
tests/support/make-test-certs.sh "$work/certs"
mkdir -p "$work/policies"
bench/make_policy.py 1000 20 "$work/policies/policy.yaml"
# The two servers alternate, one 5-second wrk run each, REPETITIONS times:
# the machine's speed drifts over minutes, so each ratio compares runs seconds
# apart, and the median ratio is the figure.
# Each run also records the CPU time the server spent (user + system, from
# /proc), so that the CPU per request of the two servers can be compared
# where perf's counters are missing.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
compare_load() {  # label connections close
  local label="$1" connections="$2" close="$3" pid before
  for attempt in $(seq "$repetitions"); do
    for pid in "$reference" "$windowguard"; do
      before="$(cpu_ticks "$pid")"
      REVIEW=bench/data/review-30k.json CLOSE="$close" taskset -c "$client_core" \
        wrk -t1 -c"$connections" -d5s -s bench/post_review.lua "https://127.0.0.1:$(port_of "$pid")/validate" |
        grep RESULT | tr -d '\n'
      echo " cpu_ticks=$(( $(cpu_ticks "$pid") - before ))"
    done
  done >"$work/load.out"
  python3 - "$label" "$work/load.out" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys
label, results, ticks_per_second = sys.argv[1:]
runs = [dict(field.split("=") for field in line.split()[1:]) for line in open(results)]
reference, windowguard = runs[0::2], runs[1::2]
def median(side, key):
    return statistics.median(float(run[key]) for run in side)
for name, side in (("reference  ", reference), ("windowguard", windowguard)):
    print(f"{label} {name} rps={median(side, 'rps'):.0f} p50={median(side, 'p50'):.0f}us "
          f"p99={median(side, 'p99'):.0f}us p99.9={median(side, 'p999'):.0f}us "
          f"errors={sum(int(run['errors']) for run in side)}")
throughput = [float(w["rps"]) / float(r["rps"]) for r, w in zip(reference, windowguard)]
p99 = [float(w["p99"]) / float(r["p99"]) for r, w in zip(reference, windowguard)]
print(f"{label} windowguard/reference: throughput {statistics.median(throughput):.0%} "
      f"(pairs {min(throughput):.0%}..{max(throughput):.0%}), "
      f"p99 {statistics.median(p99):.2f}x (pairs {min(p99):.2f}..{max(p99):.2f})")
def cpu_per_request(run):
    return float(run["cpu_ticks"]) / float(ticks_per_second) / float(run["requests"]) * 1e6
cpu = [cpu_per_request(w) / cpu_per_request(r) for r, w in zip(reference, windowguard)]
print(f"{label} server CPU per request: reference {statistics.median(map(cpu_per_request, reference)):.0f}us, "
      f"windowguard {statistics.median(map(cpu_per_request, windowguard)):.0f}us, "
      f"ratio {statistics.median(cpu):.2f}x (pairs {min(cpu):.2f}..{max(cpu):.2f})")
PY
}
# CPU cycles and instructions each server spends per request (user and
# kernel), counted by perf over 4 seconds of a 16-connection keep-alive run:
# steadier than requests/s on a shared machine.
cpu_per_request() {  # label port pid
  local label="$1" port="$2" pid="$3"
  REVIEW=bench/data/review-30k.json taskset -c "$client_core" \
    wrk -t1 -c16 -d6s -s bench/post_review.lua "https://127.0.0.1:$port/validate" >"$work/wrk.out" &
  local client=$!
  sleep 1
  perf stat -x, -e cycles,instructions -p "$pid" -- sleep 4 2>"$work/perf.out"
  wait "$client"
  python3 - "$label" "$work/wrk.out" "$work/perf.out" <<'PY'
import re, sys
label, wrk, perf = sys.argv[1:]
rps = float(re.search(r"rps=([0-9.]+)", open(wrk).read()).group(1))
counts = {line.split(",")[2]: float(line.split(",")[0]) for line in open(perf) if line.count(",") > 2}
requests = rps * 4
print(f"{label} per request: {counts['cycles'] / requests / 1000:.0f}k cycles, "
      f"{counts['instructions'] / requests / 1000:.0f}k instructions")
PY
}
rss() { awk '/VmRSS/{print $2 " KiB"}' "/proc/$1/status"; }
taskset -c "$server_core" build/bench/reference_server 18443 "$work/certs/server.crt" "$work/certs/server.key" 1 >/dev/null &
reference=$!
taskset -c "$server_core" build/windowguard serve --listen 127.0.0.1:18444 --threads 1 --log-level warn \
  --tls-cert "$work/certs/server.crt" --tls-key "$work/certs/server.key" --policies "$work/policies" >/dev/null &
windowguard=$!
port_of() { if [ "$1" = "$reference" ]; then echo 18443; else echo 18444; fi; }
sleep 2
echo "windowguard idle RSS with 1,000 windows: $(rss $windowguard)"
echo "(run at $(date -u '+%a %H:%M') UTC; the review, a Deployment update in prod-eu-1, is denied during the 20 blackouts that apply, Berlin time: nights 22:00-06:00, weekends, month ends, the festive season; allowed otherwise)"
for connections in 16 64; do
  compare_load "c=$connections keep-alive" "$connections" 0
done
compare_load "c=16 new TLS connection per request" 16 1
if hardware_counters_work; then
  cpu_per_request "reference  " 18443 "$reference"
  cpu_per_request "windowguard" 18444 "$windowguard"
else
  echo "perf's hardware counters are not available here: cycles and instructions per request not counted"
fi
after_first="$(rss $windowguard)"
REVIEW=bench/data/review-30k.json taskset -c "$client_core" \
  wrk -t1 -c64 -d5s -s bench/post_review.lua "https://127.0.0.1:18444/validate" | grep RESULT | sed 's/^/windowguard c=64 keep-alive, one more identical run: /'
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
