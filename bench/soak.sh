#!/usr/bin/env bash
# Soak run (not CI): `windowguard serve` with the 1,000-window policy under
# sustained load on loopback (wrk, 30 KB reviews, 16 keep-alive TLS
# connections), a policy reload every 5 s and a certificate rotation every
# 60 s, both swapped the way the kubelet swaps a mounted volume (..data).
# Alongside, a checker opens a new TLS connection every second (so it meets
# every rotated certificate) and sends a review that every policy version must
# deny.  Reports requests served and failed, checks, reloads, rotations, and
# resident memory and open file descriptors after warm-up and at the end.
# Decision log lines are dropped from the kept log (not from the work done).
# Fails when a request failed, a check was answered wrongly, memory grew by
# more than 5 % after warm-up, or descriptors grew.
# Usage: bench/soak.sh [SECONDS]   (default and maximum 600; minimum 90)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
((seconds > 600)) && seconds=600
((seconds < 90)) && seconds=90
warm_up=30
scripts/install-deps.sh wrk curl python3
scripts/build.sh >/dev/null
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
server_core=0
client_core=$(( $(nproc) > 1 ? 1 : 0 ))

swap_data_link() {  # directory version: repoint directory/..data in one rename
  ln -sfn "$2" "$1/..data_tmp"
  mv -T "$1/..data_tmp" "$1/..data"
}

# Two policy versions: the load-test policy plus a window that always freezes
# namespace soak-frozen; the second version adds one more (unbound) window.
tests/support/make-test-certs.sh "$work/certs"
mkdir -p "$work/policies/..a" "$work/policies/..b" "$work/tls/..first" "$work/tls/..rotated"
python3 - "$work/policies" <<'PY'
import sys
kinds = ['weeklyRange: {from: "Sat 00:00", to: "Mon 06:00"}', 'daily: {from: "22:00", to: "06:00"}',
         'cron: {schedule: "0 22 * * 5", duration: 58h}', 'yearly: {from: "Dec 20 00:00", to: "Jan 2 00:00"}',
         'monthly: {from: "-1 18:00", to: "1 09:00"}']
def policy(extra_windows):
    out = ["apiVersion: windowguard.dev/v1", "kind: WindowPolicy", "windows:",
           "  - name: always-frozen", "    type: blackout", "    durations:",
           '      - daily: {from: "00:00", to: "12:00"}', '      - daily: {from: "12:00", to: "00:00"}']
    for i in range(1000 + extra_windows):
        out += [f"  - name: window-{i}", "    type: blackout", "    timeZone: Europe/Berlin", "    durations:",
                f"      - {kinds[i % 5]}"]
    out += ["bindings:", "  - windows: [always-frozen]", "    environments: [soak-frozen]"]
    for i in range(1000):
        out += [f"  - windows: [window-{i}]", f"    environments: [{'prod-eu-1' if i < 20 else 'team-' + str(i)}]"]
    return "\n".join(out) + "\n"
open(sys.argv[1] + "/..a/policy.yaml", "w").write(policy(0))
open(sys.argv[1] + "/..b/policy.yaml", "w").write(policy(1))
PY
swap_data_link "$work/policies" ..a
ln -s ..data/policy.yaml "$work/policies/policy.yaml"
for pair in first:server rotated:rotated; do
  cp "$work/certs/${pair#*:}.crt" "$work/tls/..${pair%:*}/tls.crt"
  cp "$work/certs/${pair#*:}.key" "$work/tls/..${pair%:*}/tls.key"
done
swap_data_link "$work/tls" ..first
ln -s ..data/tls.crt "$work/tls/tls.crt"
ln -s ..data/tls.key "$work/tls/tls.key"
sed 's/"prod-eu-1"/"soak-frozen"/g' tests/fixtures/generated/deployment-create.json >"$work/frozen-review.json"

taskset -c "$server_core" build/windowguard serve --listen 127.0.0.1:18446 --threads 1 --log-level info \
  --reload-interval 1s --tls-cert "$work/tls/tls.crt" --tls-key "$work/tls/tls.key" \
  --policies "$work/policies" > >(grep --line-buffered -v '"msg":"admission decision"' >"$work/server.log") &
server=$!
for _ in $(seq 50); do grep -q '"msg":"listening"' "$work/server.log" && break; sleep 0.1; done

REVIEW=bench/data/review-30k.json taskset -c "$client_core" \
  wrk -t1 -c16 -d"${seconds}s" -s bench/post_review.lua https://127.0.0.1:18446/validate >"$work/wrk.out" &
load=$!

checks=0 wrong=0 reloads=0 rotations=0
rss() { awk '/VmRSS/{print $2}' "/proc/$server/status"; }
descriptors() { ls "/proc/$server/fd" | wc -l; }
started=$SECONDS
for ((tick = 1; SECONDS - started < seconds; tick++)); do  # a tick a second, or a little more
  sleep 1
  # Both samples under the same load (wrk runs for exactly `seconds`).
  ((tick == warm_up)) && rss_start=$(rss) && fds_start=$(descriptors)
  [ -z "${rss_end:-}" ] && ((SECONDS - started >= seconds - 10)) && rss_end=$(rss) && fds_end=$(descriptors)
  answer="$(curl -s --max-time 5 --cacert "$work/certs/ca.crt" -H 'Content-Type: application/json' \
    --data-binary @"$work/frozen-review.json" https://127.0.0.1:18446/validate || true)"
  checks=$((checks + 1))
  [[ "$answer" == *'"allowed":false'* ]] || wrong=$((wrong + 1))
  if ((tick % 5 == 0)); then
    swap_data_link "$work/policies" "$( ((tick / 5 % 2)) && echo ..b || echo ..a)"
    reloads=$((reloads + 1))
  fi
  if ((tick % 60 == 30)); then  # mid-minute, so the last one is loaded before the end
    swap_data_link "$work/tls" "$( ((tick / 60 % 2)) && echo ..first || echo ..rotated)"
    rotations=$((rotations + 1))
  fi
done
wait "$load"
kill "$server"
wait "$server" 2>/dev/null || true

result="$(grep RESULT "$work/wrk.out")"
served=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$result")
failed=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$result")
growth=$(awk -v a="$rss_start" -v b="$rss_end" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
echo "== soak: ${seconds} s on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "requests served (wrk, 16 keep-alive connections): $served; failed: $failed"
echo "checks (new TLS connection each second, must be denied): $checks; answered wrongly or failed: $wrong"
echo "policy swaps: $reloads; loaded: $(grep -c '"msg":"policy loaded"' "$work/server.log"); rejected: $(grep -c 'policy rejected' "$work/server.log" || true)"
echo "certificate rotations: $rotations; loaded: $(($(grep -c '"msg":"certificate loaded"' "$work/server.log") - 1)); rejected: $(grep -c 'certificate rejected' "$work/server.log" || true)"
echo "resident memory after ${warm_up} s warm-up: ${rss_start} KiB; 10 s before the end: ${rss_end} KiB (${growth} %)"
echo "open file descriptors after warm-up: ${fds_start}; 10 s before the end: ${fds_end}"
awk -v f="$failed" -v w="$wrong" -v g="$growth" -v a="$fds_start" -v b="$fds_end" \
  'BEGIN {exit !(f == 0 && w == 0 && g <= 5 && b <= a)}' || { echo "soak: FAILED" >&2; exit 1; }
echo "soak: passed"
