#!/usr/bin/env bash
# Configures and builds windowguard (Release) into build/.
# WINDOWGUARD_WERROR=ON turns warnings into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" \
  -DWINDOWGUARD_WERROR="${WINDOWGUARD_WERROR:-OFF}" >/dev/null
cmake --build build --parallel "$(nproc)"
