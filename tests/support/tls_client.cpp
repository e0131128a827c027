#include "support/tls_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

namespace windowguard::testing {
namespace {

namespace asio = boost::asio;

constexpr int kSocketTimeoutSeconds = 10;

void set_timeouts(asio::ip::tcp::socket& socket) {
  timeval timeout{kSocketTimeoutSeconds, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

}  // namespace

TlsClient::TlsClient(unsigned short port, const ClientOptions& options) : context_(asio::ssl::context::tls_client) {
  SSL_CTX* native = context_.native_handle();
  if (options.min_version != 0) {
    // Let the client offer old versions, so that a refusal is the server's.
    SSL_CTX_set_security_level(native, 0);
    SSL_CTX_set_cipher_list(native, "ALL:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(native, options.min_version);
  }
  if (options.max_version != 0) {
    SSL_CTX_set_max_proto_version(native, options.max_version);
  }
  if (!options.ca_file.empty()) {
    context_.load_verify_file(options.ca_file);
    context_.set_verify_mode(asio::ssl::verify_peer);
  }
  if (!options.certificate.empty()) {
    context_.use_certificate_chain_file(options.certificate);
    context_.use_private_key_file(options.key, asio::ssl::context::pem);
  }
  stream_.emplace(io_, context_);
  if (!options.host_name.empty()) {
    SSL_set_tlsext_host_name(stream_->native_handle(), options.host_name.c_str());
    stream_->set_verify_callback(asio::ssl::host_name_verification(options.host_name));
  }
  auto& socket = boost::beast::get_lowest_layer(*stream_).socket();
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  set_timeouts(socket);
  stream_->handshake(asio::ssl::stream_base::client);
}

HttpResponse TlsClient::request(http::verb method, const std::string& target, const std::string& body,
                                const std::string& content_type) {
  http::request<http::string_body> request(method, target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!body.empty() || method == http::verb::post) {
    request.set(http::field::content_type, content_type);
    request.body() = body;
  }
  request.keep_alive(true);
  request.prepare_payload();
  http::write(*stream_, request);
  return read_response();
}

HttpResponse TlsClient::read_response() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(*stream_, buffer_, parser);
  return parser.release();
}

std::string TlsClient::server_common_name() {
  X509* certificate = SSL_get1_peer_certificate(stream_->native_handle());
  if (certificate == nullptr) {
    return {};
  }
  char name[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, name, sizeof name);
  X509_free(certificate);
  return name;
}

void TlsClient::write_raw(const std::string& bytes) { asio::write(*stream_, asio::buffer(bytes)); }

std::string TlsClient::read_some() {
  char chunk[4096];
  boost::system::error_code error;
  const std::size_t got = stream_->read_some(asio::buffer(chunk), error);
  return error ? std::string{} : std::string(chunk, got);
}

HttpResponse https_request(unsigned short port, const ClientOptions& options, http::verb method,
                           const std::string& target, const std::string& body, const std::string& content_type) {
  TlsClient client(port, options);
  return client.request(method, target, body, content_type);
}

}  // namespace windowguard::testing
