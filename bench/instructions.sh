#!/usr/bin/env bash
# Instructions per request of the parse floor, the full path, the full path
# deciding afresh, a bare Pod's full path, and the full path as served (through
# the router and the observation; 4 KB review unless told), counted by valgrind's callgrind
# over each benchmark's loop: the count bench/run.sh takes from perf events,
# for machines without hardware counters (perf stat says "not supported").
# Each loop's one-off setup (reading the review, loading the policy) is
# subtracted; the body copy and the destruction of each request's objects are
# counted, as they are in the floor.  About a minute per size.
# Usage: bench/instructions.sh [SIZE...]   (SIZE: 0 = 4 KB, 1 = 30 KB, 2 = 200 KB)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-0}")
scripts/install-deps.sh valgrind python3
scripts/build.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# instructions BENCHMARK LOOP_FUNCTION CALLEE: callgrind's count inside
# LOOP_FUNCTION, less its calls to the setup functions, per call of CALLEE
# (once per iteration).
instructions() {
  local benchmark="$1" loop="$2" callee="$3"
  valgrind --tool=callgrind --callgrind-out-file="$work/out" --toggle-collect="$loop" \
    build/bench/windowguard_benchmarks --benchmark_filter="^$benchmark\$" --benchmark_min_time=2 >/dev/null 2>&1
  python3 - "$work/out" "$callee" <<'PY'
import re, sys
path, per_iteration = sys.argv[1:]
names, current, total, setup, iterations = {}, "", 0, 0, 0
lines = open(path).read().split("\n")
for i, line in enumerate(lines):
    m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line)
    if m:
        if m.group(3):
            names[m.group(2)] = m.group(3)
        if m.group(1) == "fn":
            current = names[m.group(2)]
        elif "bench::" in current:
            callee = names[m.group(2)]
            calls = int(lines[i + 1].split("=")[1].split()[0])
            cost = int(lines[i + 2].split()[1])
            if any(name in callee for name in ("policy_of", "read_review", "InstructionsPerIteration")):
                setup += cost
            if per_iteration in callee:
                iterations += calls
    if line.startswith(("totals:", "summary:")):
        total = int(line.split()[1])
print(round((total - setup) / iterations))
PY
}

labels=(4k 30k 200k)
for size in "${sizes[@]}"; do
  floor=$(instructions "BM_ParseFloor/$size" '*BM_ParseFloor*' parse_body_in_place)
  full=$(instructions "BM_FullPath/$size" '*full_path*' decode_review)
  afresh=$(instructions "BM_FullPathDecidingAfresh/$size" '*full_path*' decode_review)
  pod=$(instructions "BM_FullPathPod/$size" '*full_path*' decode_review)
  served=$(instructions "BM_ServedReview/$size" '*served_review*' handle_request)
  python3 -c "
f, a, b, p, s = $floor, $full, $afresh, $pod, $served
print(f'${labels[$size]}: floor {f / 1000:.1f} k, full path {a / 1000:.1f} k ({a / f:.2f} x), '
      f'deciding afresh {b / 1000:.1f} k ({b / f:.2f} x), '
      f'a Pod\'s full path {p / 1000:.1f} k ({p / a:.2f} x a Deployment\'s), '
      f'served (router and observation) {s / 1000:.1f} k ({s - a:+.0f} on the full path) instructions per request')"
done
