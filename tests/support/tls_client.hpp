#pragma once
// A synchronous HTTPS client for the integration tests (Beast + OpenSSL),
// talking only to 127.0.0.1, with socket timeouts so that nothing hangs.
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace windowguard::testing {

namespace http = boost::beast::http;
using HttpResponse = http::response<http::string_body>;

struct ClientOptions {
  std::string ca_file;      // the server must present a certificate this CA signed
  std::string certificate;  // client certificate (mutual TLS), optional
  std::string key;
  int min_version = 0;  // TLS1_1_VERSION etc.; 0: OpenSSL's default
  int max_version = 0;
  std::string host_name;  // when set: sent as SNI, and the certificate must name it
};

class TlsClient {
 public:
  // Connects to 127.0.0.1:port and completes the TLS handshake; throws
  // boost::system::system_error when either fails.
  TlsClient(unsigned short port, const ClientOptions& options);

  HttpResponse request(http::verb method, const std::string& target, const std::string& body = "",
                       const std::string& content_type = "application/json");
  // The common name of the certificate the server presented.
  std::string server_common_name();
  // Writes raw bytes on the TLS stream (slow clients, garbage).
  void write_raw(const std::string& bytes);
  // Reads whatever comes next; an empty string when the server closed.
  std::string read_some();
  HttpResponse read_response();

 private:
  boost::asio::io_context io_;
  boost::asio::ssl::context context_;
  // Made after the context is configured: OpenSSL copies its settings then.
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> stream_;
  boost::beast::flat_buffer buffer_;
};

// One request on a new connection.
HttpResponse https_request(unsigned short port, const ClientOptions& options, http::verb method,
                           const std::string& target, const std::string& body = "",
                           const std::string& content_type = "application/json");

}  // namespace windowguard::testing
