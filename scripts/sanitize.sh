#!/usr/bin/env bash
# The test suite under sanitizers (CI runs it): every test with AddressSanitizer
# and UBSan, then with ThreadSanitizer the tests that exercise threads: the
# server's and the sidecar's (they start the real, sanitized binary) and the
# cluster client's (a reflector against a scripted API server).
# Any sanitizer report fails the test that triggered it, and so this script.
# Each step prints its wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.suppressions"

timed() {  # timed NAME COMMAND...
  local name="$1" started=$SECONDS
  shift
  "$@"
  echo "sanitize: $name took $((SECONDS - started)) s"
}

timed "ASan+UBSan build" scripts/sanitized-build.sh address

# The TSan build needs nothing of the ASan tests: it runs beside them.
source scripts/beside.sh
tsan_build_log="$(mktemp)"
start_beside tsan_build "$tsan_build_log" scripts/sanitized-build.sh thread windowguard server_test sidecar_test cluster_client_test
trap 'stop_beside "$tsan_build"' EXIT
timed "ASan+UBSan tests" ctest --test-dir build-address --output-on-failure --timeout 600 -j "$(nproc)"
timed "TSan build (what was left of it)" finish_beside "$tsan_build" "$tsan_build_log"
timed "TSan tests" ctest --test-dir build-thread --output-on-failure --timeout 600 -j "$(nproc)" \
  -R '^(ServerTest|AdversarialServerTest|SidecarTest|PublisherTest|FaultTest|ApiClientTest|ReflectorTest|ReviewReaderTest|ClusterViewTest)'
echo "sanitizers: clean"
