#pragma once
// The serving TLS configuration: TLS 1.2 minimum (1.3 preferred), ECDHE with
// AEAD ciphers only, the certificate and key from PEM files, and optionally a
// CA whose client certificates are required (mutual TLS).
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "core/result.hpp"
#include "core/schedule/time.hpp"

namespace windowguard::server {

struct TlsFiles {
  std::string certificate;
  std::string key;
  std::string client_ca;  // empty: no client certificate asked for
};

struct LoadedTls {
  std::shared_ptr<boost::asio::ssl::context> context;
  core::Instant not_after;  // the certificate's expiry
};

// A ready context, or why the files do not make one (unreadable, not PEM,
// key not matching the certificate, ...).
Result<LoadedTls> load_tls(const TlsFiles& files);

}  // namespace windowguard::server
