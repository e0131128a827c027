#!/usr/bin/env bash
# Makes a development CA and a serving certificate for 127.0.0.1 and localhost
# (ECDSA P-256), for running `windowguard serve` on a workstation.
# Usage: certs/dev-cert.sh [DIR]   (default certs/dev; kept when present)
# Writes DIR/ca.crt, DIR/ca.key, DIR/tls.crt, DIR/tls.key.
set -euo pipefail
dir="${1:-$(dirname "$0")/dev}"
mkdir -p "$dir"
if [ -s "$dir/tls.crt" ] && [ -s "$dir/tls.key" ] && openssl x509 -checkend 86400 -noout -in "$dir/tls.crt" >/dev/null; then
  exit 0
fi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/CN=windowguard development CA" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=localhost" -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
  -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n') \
  -out "$dir/tls.crt" 2>/dev/null
rm -f "$dir/tls.csr" "$dir/ca.srl"
chmod 600 "$dir/ca.key" "$dir/tls.key"
echo "development certificate: $dir/tls.crt (CA: $dir/ca.crt)" >&2
