#!/usr/bin/env bash
# Builds windowguard with clang and sanitizers into build-<mode>/.
# Usage: scripts/sanitized-build.sh address|thread [cmake targets...]
#   address: AddressSanitizer + UndefinedBehaviorSanitizer, with the libFuzzer
#            coverage instrumentation, so the same build runs the test suite
#            (scripts/sanitize.sh) and the fuzz targets (scripts/fuzz.sh).
#            Line tables are all its reports need (function, file, line).
#   thread:  ThreadSanitizer, with full debug info: tests/tsan.suppressions
#            names a destructor by its qualified name, which line tables alone
#            do not give an inlined frame.
# Both at -O1, the optimisation the sanitizers' documentation recommends.
# Without targets it builds everything (tests included, benchmarks not).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="$1"
shift
case "$mode" in
  address)
    options=(-DWINDOWGUARD_FUZZ=ON -DWINDOWGUARD_SANITIZE=address,undefined)
    flags="-O1 -gline-tables-only -DNDEBUG" ;;
  thread)
    options=(-DWINDOWGUARD_SANITIZE=thread)
    flags="-O1 -g -DNDEBUG" ;;
  *) echo "usage: $0 address|thread [targets...]" >&2; exit 2 ;;
esac
scripts/install-deps.sh clang libclang-rt-14-dev
# As in scripts/build.sh: warnings are errors when asked (CI asks).
[ -n "${WINDOWGUARD_WERROR:-}" ] && options+=(-DWINDOWGUARD_WERROR="$WINDOWGUARD_WERROR")
# A new build directory uses Ninja; an existing one keeps its generator.
[ -f "build-$mode/CMakeCache.txt" ] || options+=(-G Ninja)
CC=clang CXX=clang++ cmake -S . -B "build-$mode" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" -DWINDOWGUARD_BUILD_BENCHMARKS=OFF "${options[@]}" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "build-$mode" --parallel "$(nproc)" "${targets[@]}"
