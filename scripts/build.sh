#!/usr/bin/env bash
# Configures and builds windowguard (Release) into build/.
# Usage: scripts/build.sh [TARGET...]   (default: every target, benchmarks included)
# WINDOWGUARD_WERROR=ON turns warnings into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
options=(-DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}")
# Only when asked: a configured build/ keeps its setting otherwise (no rebuilds).
[ -n "${WINDOWGUARD_WERROR:-}" ] && options+=(-DWINDOWGUARD_WERROR="$WINDOWGUARD_WERROR")
# A new build directory uses Ninja, which compiles a target's units while the
# libraries they link are still being built; an existing one keeps its generator.
[ -f build/CMakeCache.txt ] || options+=(-G Ninja)
cmake -S . -B build "${options[@]}" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build --parallel "$(nproc)" "${targets[@]}"
