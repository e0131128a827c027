#!/usr/bin/env bash
# Whether a scrape of /metrics holds up reviews: the p99 and p99.9 of a
# 4 KB review under load (wrk, 16 keep-alive connections, 10 s), with and
# without a scrape of /metrics every second, against a policy of 10,000
# windows (a scrape renders a gauge per window).  The server runs one I/O
# thread; wrk runs on the last core.
# Usage: bench/scrape_load.sh [BINARY] [REPETITIONS]   (default build/windowguard, 3)
# SCRAPE_PATH=/healthz scrapes a path that costs nothing instead: what curl
# itself (a process and a TLS handshake a second) costs the reviews.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-build/windowguard}"
repetitions="${2:-3}"
scripts/install-deps.sh wrk curl python3
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
client_core=$(( $(nproc) - 1 ))
tests/support/make-test-certs.sh "$work/certs" >/dev/null
mkdir -p "$work/policies"
bench/make_policy.py 10000 0 "$work/policies/policy.yaml"
"$binary" serve --listen 127.0.0.1:18446 --threads 1 --log-level warn \
  --tls-cert "$work/certs/server.crt" --tls-key "$work/certs/server.key" --policies "$work/policies" >/dev/null &
server=$!
for _ in $(seq 50); do curl -sk https://127.0.0.1:18446/healthz >/dev/null && break; sleep 0.2; done
curl -sk https://127.0.0.1:18446/metrics >/dev/null  # the forecasts' memo, warm
echo "one scrape: $(curl -sk -o /dev/null -w '%{size_download} bytes in %{time_total} s' https://127.0.0.1:18446/metrics)"
load() {
  REVIEW=bench/data/review-4k.json taskset -c "$client_core" \
    wrk -t1 -c16 -d10s -s bench/post_review.lua "https://127.0.0.1:18446/validate" | grep RESULT
}
for attempt in $(seq "$repetitions"); do
  echo "quiet   $(load)"
  ( while true; do curl -sk -o /dev/null "https://127.0.0.1:18446${SCRAPE_PATH:-/metrics}"; sleep 1; done ) &
  scraping=$!
  echo "scraped $(load)"
  kill "$scraping"
  wait "$scraping" 2>/dev/null || true
done | tee "$work/runs"
python3 - "$work/runs" <<'PY'
import statistics, sys
runs = {"quiet": [], "scraped": []}
for line in open(sys.argv[1]):
    kind, _, *fields = line.split()
    runs[kind].append(dict(field.split("=") for field in fields))
for kind, side in runs.items():
    median = lambda key: statistics.median(float(run[key]) for run in side)
    print(f"{kind:8} rps={median('rps'):.0f} p50={median('p50'):.0f}us p99={median('p99'):.0f}us "
          f"p99.9={median('p999'):.0f}us (p99 over runs {min(float(r['p99']) for r in side):.0f}.."
          f"{max(float(r['p99']) for r in side):.0f}us)")
PY
