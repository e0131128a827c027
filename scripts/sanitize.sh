#!/usr/bin/env bash
# The test suite under sanitizers (CI runs it): every test with AddressSanitizer
# and UBSan, then the tests that exercise the server's and the sidecar's threads
# (they start the real, sanitized binary) with ThreadSanitizer.
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

# The TSan build needs nothing of the ASan tests: it runs beside them at the
# lowest priority, taking the CPU they leave idle (the cluster suite mostly
# waits) without slowing them.
tsan_build_log="$(mktemp)"
# A process group of its own (set -m) lets a failure stop it whole; a session
# of its own (setsid) would not do, as it would escape its niceness.
set -m
nice -n 19 scripts/sanitized-build.sh thread windowguard server_test sidecar_test >"$tsan_build_log" 2>&1 &
tsan_build=$!
set +m
trap 'kill -- -"$tsan_build" 2>/dev/null || true' EXIT  # its process group: ninja and the compilers too
finish_tsan_build() {
  local status=0
  wait "$tsan_build" || status=$?
  tail -n 40 "$tsan_build_log"
  return "$status"
}
timed "ASan+UBSan tests" ctest --test-dir build-address --output-on-failure --timeout 600 -j "$(nproc)"
timed "TSan build (what was left of it)" finish_tsan_build
timed "TSan tests" ctest --test-dir build-thread --output-on-failure --timeout 600 -j "$(nproc)" \
  -R '^(ServerTest|AdversarialServerTest|SidecarTest|PublisherTest|FaultTest)'
echo "sanitizers: clean"
