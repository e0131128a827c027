#include "server/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>

namespace windowguard::server {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites: forward secret (ECDHE) and authenticated encryption only.
// TLS 1.3 suites are all AEAD; OpenSSL's defaults stay.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) {
    return "unknown OpenSSL error";
  }
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

std::optional<core::Instant> not_after(SSL_CTX* context) {
  const X509* certificate = SSL_CTX_get0_certificate(context);
  if (certificate == nullptr) {
    return std::nullopt;
  }
  std::tm expiry{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &expiry) != 1) {
    return std::nullopt;
  }
  return core::Instant{core::seconds{timegm(&expiry)}};
}

}  // namespace

Result<LoadedTls> load_tls(const TlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                       ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Problem("cannot set the cipher list: " + openssl_error());
  }
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, files.certificate.c_str()) != 1) {
    return Problem("cannot load the certificate " + files.certificate + ": " + openssl_error());
  }
  const std::string mismatch = "the private key " + files.key + " does not match the certificate " + files.certificate;
  if (SSL_CTX_use_PrivateKey_file(native, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return Problem(mismatch);
    }
    return Problem("cannot load the private key " + files.key + ": " + openssl_error());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return Problem(mismatch);
  }
  if (!files.client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(native, files.client_ca.c_str(), nullptr) != 1) {
      return Problem("cannot load the client CA " + files.client_ca + ": " + openssl_error());
    }
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  const std::optional<core::Instant> expiry = not_after(native);
  if (!expiry) {
    return Problem("cannot read the expiry of the certificate " + files.certificate);
  }
  return LoadedTls{std::move(context), *expiry};
}

}  // namespace windowguard::server
