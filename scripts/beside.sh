# Sourced by .ci/run and scripts/sanitize.sh: work that runs beside a stage.
# At the lowest priority, so that it takes only the CPU the stage leaves idle
# (links, the cluster suite's waits) without slowing it; in a process group of
# its own (job control, set -m), so that stop_beside ends it whole. Not in a
# session of its own (setsid): with the kernel's autogroups, a new session
# gets a new autogroup and with it an equal share of the CPU, whatever its
# niceness.

# start_beside PID_VARIABLE LOG COMMAND...: starts COMMAND, its output in LOG;
# when it ends, LOG.seconds holds how long it ran.
start_beside() {
  local -n started_pid="$1"
  local log="$2"
  shift 2
  set -m
  nice -n 19 bash -c 'log="$1"; shift; "$@" >"$log" 2>&1; status=$?; echo "$SECONDS" >"$log.seconds"; exit $status' \
    _ "$log" "$@" &
  started_pid=$!
  set +m
}

# finish_beside PID LOG: waits for it, prints its output, returns its status.
finish_beside() {
  local status=0
  wait "$1" || status=$?
  cat "$2"
  return "$status"
}

# stop_beside PID: ends it and everything it started, if it still runs.
stop_beside() {
  kill -- -"$1" 2>/dev/null || true
}
