# Sourced by make-test-certs.sh and make-cluster-pki.sh: EC P-256 keys, CAs
# and certificates that last two days, made with openssl in the current
# directory.
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() { key "$1.key"; openssl req -x509 -new -key "$1.key" -days 2 -subj "/CN=$2" -out "$1.crt" 2>/dev/null; }
signed() {  # name, CA, subject ("/CN=.../O=..."), extension lines
  key "$1.key"
  openssl req -new -key "$1.key" -subj "$3" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
    -extfile <(printf '%b' "$4") -out "$1.crt" 2>/dev/null
  rm -f "$1.csr"
}
