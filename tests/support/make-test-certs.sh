#!/usr/bin/env bash
# Certificates for the server integration tests, made fresh in DIR:
#   ca.crt            the CA clients trust
#   server.crt/.key   serving certificate for 127.0.0.1 (first)
#   rotated.crt/.key  serving certificate for 127.0.0.1 (after rotation)
#   client.crt/.key   client certificate signed by the CA
#   stranger.crt/.key client certificate signed by another CA
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/test-pki.sh"
dir="$1"
mkdir -p "$dir"
cd "$dir"
ca ca "windowguard test CA"
ca other-ca "another CA"
signed server ca "/CN=first" 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
signed rotated ca "/CN=rotated" 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
signed client ca "/CN=kube-apiserver" 'extendedKeyUsage=clientAuth\n'
signed stranger other-ca "/CN=stranger" 'extendedKeyUsage=clientAuth\n'
rm -f ./*.srl
