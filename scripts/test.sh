#!/usr/bin/env bash
# The README's test command: installs dependencies, builds what the tests run
# (not the benchmarks: bench/run.sh builds those), and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# prometheus: its promtool runs the alert rules' unit tests (manifests/monitoring/).
# chromium: headless, it loads the page (GET /ui) in the browser tests.
scripts/install-deps.sh prometheus chromium
scripts/build.sh windowguard_tests
ctest --test-dir build --output-on-failure --timeout 300 -j "$(nproc)"
