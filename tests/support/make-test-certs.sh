#!/usr/bin/env bash
# Certificates for the server integration tests, made fresh in DIR:
#   ca.crt            the CA clients trust
#   server.crt/.key   serving certificate for 127.0.0.1 (first)
#   rotated.crt/.key  serving certificate for 127.0.0.1 (after rotation)
#   client.crt/.key   client certificate signed by the CA
#   stranger.crt/.key client certificate signed by another CA
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() { key "$1.key"; openssl req -x509 -new -key "$1.key" -days 2 -subj "/CN=$2" -out "$1.crt" 2>/dev/null; }
signed() {  # name, CA, common name, extension lines
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$3" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
    -extfile <(printf '%b' "$4") -out "$1.crt" 2>/dev/null
  rm -f "$1.csr"
}
ca ca "windowguard test CA"
ca other-ca "another CA"
signed server ca "first" 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
signed rotated ca "rotated" 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
signed client ca "kube-apiserver" 'extendedKeyUsage=clientAuth\n'
signed stranger other-ca "stranger" 'extendedKeyUsage=clientAuth\n'
rm -f ./*.srl
