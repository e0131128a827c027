#!/usr/bin/env bash
# The README's picture of the page: the example policies (policies/) at a
# fixed instant, rendered offline by `windowguard windows --output html` and
# photographed by headless Chromium at 1280 px.  The page runs no script and
# its Content-Security-Policy forbids every fetch, so the picture is the page
# as served.  Usage: scripts/page-screenshot.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/images/page.png}"
scripts/install-deps.sh chromium
scripts/build.sh windowguard >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
build/windowguard windows --policies policies --output html --at 2026-12-18T10:00:00Z >"$work/page.html"
sandbox=()
if [ "$(id -u)" -eq 0 ]; then
  sandbox=(--no-sandbox)  # Chromium refuses to run as root with its sandbox
fi
mkdir -p "$(dirname "$out")"
chromium --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars --disable-background-networking \
  --user-data-dir="$work/profile" --window-size=1280,900 --screenshot="$out" "file://$work/page.html" \
  >/dev/null 2>&1
echo "wrote $out"
