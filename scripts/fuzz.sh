#!/usr/bin/env bash
# Runs each libFuzzer target (tests/fuzz/) from its committed seed corpus for a
# bounded time, under AddressSanitizer and UBSan (the build-address/ of
# scripts/sanitized-build.sh, which scripts/sanitize.sh has already built in
# CI), as many targets at once as there are cores: each is one process.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# A crash, a timeout (one input > 10 s) or running out of memory (> 2 GiB)
# leaves the input in build-address/fuzz-artifacts/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(review policy cron http image)
scripts/sanitized-build.sh address "${targets[@]/%/_fuzz}" >/dev/null
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export FUZZ_SECONDS="${1:-60}"
export FUZZ_ARTIFACTS="$PWD/build-address/fuzz-artifacts"
mkdir -p "$FUZZ_ARTIFACTS"

fuzz_target() {
  local target="$1" log="build-address/fuzz-$1.log"
  # New inputs go to a scratch corpus; the committed seeds are only read.
  local work="build-address/corpus-$target"
  mkdir -p "$work"
  if ! "build-address/tests/fuzz/${target}_fuzz" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$FUZZ_ARTIFACTS/$target-" \
    "$work" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzzing $target: FAILED" >&2
    return 1
  fi
  echo "fuzzed $target for ${FUZZ_SECONDS}s: $(grep -E '^stat::number_of_executed_units' "$log" || echo 'no stats')"
}
export -f fuzz_target
printf '%s\n' "${targets[@]}" | xargs -P "$(nproc)" -I{} bash -c 'fuzz_target {}' ||
  { echo "fuzzing: FAILED" >&2; exit 1; }
echo "fuzzing: no crashes"
