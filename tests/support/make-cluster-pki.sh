#!/usr/bin/env bash
# The test control plane's PKI, made fresh in DIR (tests/support/control_plane):
#   make-cluster-pki.sh DIR             the CA, the API server's serving
#                                       certificate (and the webhook's, both for
#                                       127.0.0.1), the service-account key pair,
#                                       the front proxy's CA and client, and the
#                                       client certificates of admin
#                                       (system:masters) and the controller manager
#   make-cluster-pki.sh DIR user FILE NAME [GROUP...]
#                                       FILE.crt/.key: a client certificate with
#                                       CN=NAME and one O per group
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/test-pki.sh"
dir="$1"
mkdir -p "$dir"
cd "$dir"
client='extendedKeyUsage=clientAuth\n'
if [[ "${2:-}" == user ]]; then
  subject="/CN=$4"
  for group in "${@:5}"; do subject+="/O=$group"; done
  signed "$3" ca "$subject" "$client"
  exit 0
fi
ca ca "windowguard test cluster CA"
ca front-proxy-ca "windowguard test front proxy CA"
serving='subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
signed apiserver ca "/CN=kube-apiserver" "$serving"
signed webhook ca "/CN=windowguard" "$serving"
signed admin ca "/CN=admin/O=system:masters" "$client"
signed controller-manager ca "/CN=system:kube-controller-manager" "$client"
signed front-proxy-client front-proxy-ca "/CN=front-proxy-client" "$client"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out service-accounts.key 2>/dev/null
openssl pkey -in service-accounts.key -pubout -out service-accounts.pub 2>/dev/null
