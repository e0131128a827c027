// The load test's yardstick: the thinnest admission webhook on windowguard's
// stack (Boost.Beast, OpenSSL, RapidJSON), configured like windowguard (one
// io_context and SO_REUSEPORT acceptor per thread, 64 KiB reads, keep-alive).
// It parses each body and answers a constant "allowed" review: no policy, no
// decision, no logging, no metrics, no limits.
// Usage: reference_server PORT CERT KEY THREADS
#include <rapidjson/document.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr const char* kAllowed =
    R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"reference","allowed":true}})";

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, asio::ssl::context& tls) : stream_(std::move(socket), tls) { buffer_.reserve(65536); }
  void start() {
    stream_.async_handshake(asio::ssl::stream_base::server, [self = shared_from_this()](beast::error_code error) {
      if (!error) {
        self->read();
      }
    });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(8 * 1024 * 1024);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (!error) {
        self->respond();
      }
    });
  }
  void respond() {
    auto request = parser_->release();
    rapidjson::Document document;
    document.ParseInsitu(request.body().data());
    response_ = {};
    response_.result(document.HasParseError() ? http::status::bad_request : http::status::ok);
    response_.version(request.version());
    response_.keep_alive(request.keep_alive());
    response_.set(http::field::content_type, "application/json");
    response_.body() = kAllowed;
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (!error && self->response_.keep_alive()) {
        self->read();
      }
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
};

void accept(tcp::acceptor& acceptor, asio::ssl::context& tls) {
  acceptor.async_accept([&acceptor, &tls](beast::error_code error, tcp::socket socket) {
    if (!error) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket), tls)->start();
    }
    accept(acceptor, tls);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: reference_server PORT CERT KEY THREADS\n";
    return 2;
  }
  asio::ssl::context tls(asio::ssl::context::tls_server);
  tls.use_certificate_chain_file(argv[2]);
  tls.use_private_key_file(argv[3], asio::ssl::context::pem);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  const int threads = std::atoi(argv[4]);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::atoi(argv[1])));
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  for (int i = 0; i < threads; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
    auto acceptor = std::make_unique<tcp::acceptor>(*contexts.back());
    acceptor->open(endpoint.protocol());
    acceptor->set_option(asio::socket_base::reuse_address(true));
    acceptor->set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
    acceptor->bind(endpoint);
    acceptor->listen(asio::socket_base::max_listen_connections);
    accept(*acceptor, tls);
    acceptors.push_back(std::move(acceptor));
  }
  std::vector<std::thread> workers;
  for (auto& context : contexts) {
    workers.emplace_back([&context] { context->run(); });
  }
  std::cout << "listening on 127.0.0.1:" << argv[1] << std::endl;
  for (auto& worker : workers) {
    worker.join();
  }
}
