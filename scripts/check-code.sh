#!/usr/bin/env bash
# Static checks run by CI: clang-format (the committed .clang-format) over
# webhook/, tests/ and bench/, and clang-tidy (the committed .clang-tidy) over
# webhook/.
# clang-tidy reads a compile database of its own, build-tidy/ (clang, only
# configured: it needs no build), and skips the units it found clean before with the same
# preprocessed text, flags and configuration (scripts/clang-tidy-cached.py;
# the cache is ~/.cache/windowguard/clang-tidy).
# Usage: scripts/check-code.sh [--profile]   (--profile: what each check costs)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh clang clang-format clang-tidy python3

mapfile -t sources < <(git ls-files 'webhook/*.cpp' 'webhook/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp')
clang-format --dry-run --Werror "${sources[@]}"

CC=clang CXX=clang++ cmake -S . -B build-tidy -G Ninja -DWINDOWGUARD_CCACHE=OFF \
  -DWINDOWGUARD_BUILD_TESTS=OFF -DWINDOWGUARD_BUILD_BENCHMARKS=OFF >/dev/null
mapfile -t units < <(git ls-files 'webhook/*.cpp')
scripts/clang-tidy-cached.py build-tidy "${units[@]}" --jobs "$(nproc)" "$@"
echo "format and tidy: clean"
