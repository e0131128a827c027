#!/usr/bin/env bash
# The README's run command: installs dependencies, builds, checks the example
# policies, makes a development certificate (certs/dev/) and starts the webhook
# on https://127.0.0.1:8443 in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/windowguard lint policies
certs/dev-cert.sh certs/dev
port="${WINDOWGUARD_PORT:-8443}"
cat >&2 <<HINT

windowguard serves https://127.0.0.1:${port} with the policies in policies/.
Send it an AdmissionReview captured from a real API server:

  curl --cacert certs/dev/ca.crt -H 'Content-Type: application/json' \\
    --data-binary @tests/fixtures/generated/deployment-create.json \\
    https://127.0.0.1:${port}/validate

Also: /healthz, /readyz, /metrics, /windows?environment=prod-eu-1&days=14

HINT
exec build/windowguard serve --listen "127.0.0.1:${port}" \
  --tls-cert certs/dev/tls.crt --tls-key certs/dev/tls.key --policies policies
