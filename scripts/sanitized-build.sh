#!/usr/bin/env bash
# Builds windowguard with clang and sanitizers into build-<mode>/.
# Usage: scripts/sanitized-build.sh address|thread [cmake targets...]
#   address: AddressSanitizer + UndefinedBehaviorSanitizer, with the libFuzzer
#            coverage instrumentation, so the same build runs the test suite
#            (scripts/sanitize.sh) and the fuzz targets (scripts/fuzz.sh).
#   thread:  ThreadSanitizer.
# Without targets it builds everything (tests included, benchmarks not).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="$1"
shift
case "$mode" in
  address) options=(-DWINDOWGUARD_FUZZ=ON -DWINDOWGUARD_SANITIZE=address,undefined) ;;
  thread) options=(-DWINDOWGUARD_SANITIZE=thread) ;;
  *) echo "usage: $0 address|thread [targets...]" >&2; exit 2 ;;
esac
scripts/install-deps.sh clang libclang-rt-14-dev
CC=clang CXX=clang++ cmake -S . -B "build-$mode" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWINDOWGUARD_BUILD_BENCHMARKS=OFF "${options[@]}" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "build-$mode" --parallel "$(nproc)" "${targets[@]}"
