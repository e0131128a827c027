#!/usr/bin/env bash
# The Dockerfile check must fail when the runtime stage loses a library the
# binary needs, or runs as root: otherwise it could not catch anything.
set -euo pipefail
binary="$1"
here="$(cd "$(dirname "$0")/../.." && pwd)"
mutant="$(mktemp)"
trap 'rm -f "$mutant"' EXIT
for edit in 's/ libssl3//' 's/USER 65532:65532/USER 0:0/' 's/ tzdata//' 's/CMD \["serve"/CMD ["lint"/'; do
  sed "$edit" "$here/Dockerfile" > "$mutant"
  if DOCKERFILE="$mutant" "$here/scripts/check-dockerfile.sh" "$binary" 2>/dev/null; then
    echo "check-dockerfile.sh accepted a Dockerfile edited with: $edit" >&2
    exit 1
  fi
done
echo "check-dockerfile.sh rejects every mutant"
