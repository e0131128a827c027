#!/usr/bin/env bash
# Configures and builds windowguard (Release) into build/.
# WINDOWGUARD_WERROR=ON turns warnings into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
options=(-DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}")
# Only when asked: a configured build/ keeps its setting otherwise (no rebuilds).
[ -n "${WINDOWGUARD_WERROR:-}" ] && options+=(-DWINDOWGUARD_WERROR="$WINDOWGUARD_WERROR")
cmake -S . -B build "${options[@]}" >/dev/null
cmake --build build --parallel "$(nproc)"
