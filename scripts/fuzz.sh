#!/usr/bin/env bash
# Runs each libFuzzer target (tests/fuzz/) from its committed seed corpus for a
# bounded time, under AddressSanitizer and UBSan (the build-address/ of
# scripts/sanitized-build.sh).  CI runs it.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# A crash, a timeout (one input > 10 s) or running out of memory (> 2 GiB)
# leaves the input in build-address/fuzz-artifacts/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scripts/sanitized-build.sh address review_fuzz policy_fuzz cron_fuzz http_fuzz image_fuzz >/dev/null
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
artifacts="$PWD/build-address/fuzz-artifacts"
mkdir -p "$artifacts"
for target in review policy cron http image; do
  # New inputs go to a scratch corpus; the committed seeds are only read.
  work="build-address/corpus-$target"
  mkdir -p "$work"
  echo "fuzzing $target for ${seconds}s"
  "build-address/tests/fuzz/${target}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
    "$work" "tests/fuzz/corpus/$target" >"build-address/fuzz-$target.log" 2>&1 ||
    { tail -60 "build-address/fuzz-$target.log"; echo "fuzzing $target: FAILED" >&2; exit 1; }
  grep -E '^stat::number_of_executed_units|^Done' "build-address/fuzz-$target.log" || true
done
echo "fuzzing: no crashes"
