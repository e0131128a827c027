#include "support/fake_api_server.hpp"

#include <sys/socket.h>

#include <algorithm>

#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "support/fixtures.hpp"

namespace windowguard::testing {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

FakeRequest seen(const http::request<http::string_body>& request) {
  return FakeRequest{std::string(request.method_string()), std::string(request.target()),
                     std::string(request[http::field::authorization]), std::string(request[http::field::content_type]),
                     request.body()};
}

}  // namespace

FakeApiServer::FakeApiServer(const std::filesystem::path& certificates, Script script)
    : certificates_(certificates),
      script_(std::move(script)),
      acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  acceptor_thread_ = std::thread([this] { accept_connections(); });
}

FakeApiServer::~FakeApiServer() {
  go_down();
  acceptor_thread_.join();
  for (std::thread& connection : connections_) {
    connection.join();
  }
}

cluster::Credentials FakeApiServer::credentials(const std::string& token) const {
  cluster::Credentials credentials;
  credentials.host = "127.0.0.1";
  credentials.port = std::to_string(port_);
  credentials.ca_pem = read_text((certificates_ / "ca.crt").string());
  credentials.token = token;
  return credentials;
}

std::vector<FakeRequest> FakeApiServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

void FakeApiServer::end_streams() {
  {
    const std::lock_guard lock(mutex_);
    ++stream_generation_;
  }
  streams_released_.notify_all();
}

void FakeApiServer::go_down() {
  {
    const std::lock_guard lock(mutex_);
    if (down_) {
      return;
    }
    down_ = true;
    // shutdown(2) wakes the threads blocked on these sockets; a listening
    // socket shut down refuses connections from then on.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    for (const int socket : open_sockets_) {
      ::shutdown(socket, SHUT_RDWR);
    }
  }
  streams_released_.notify_all();
}

void FakeApiServer::accept_connections() {
  for (;;) {
    boost::system::error_code code;
    tcp::socket socket(io_);
    acceptor_.accept(socket, code);
    const std::lock_guard lock(mutex_);
    if (down_) {
      return;
    }
    if (code) {
      continue;
    }
    open_sockets_.push_back(socket.native_handle());
    connections_.emplace_back([this, socket = std::move(socket)]() mutable { serve(std::move(socket)); });
  }
}

void FakeApiServer::serve(tcp::socket socket) {
  const int descriptor = socket.native_handle();
  ssl::context context(ssl::context::tls_server);
  context.use_certificate_chain_file((certificates_ / "server.crt").string());
  context.use_private_key_file((certificates_ / "server.key").string(), ssl::context::pem);
  boost::beast::ssl_stream<tcp::socket&> stream(socket, context);
  boost::system::error_code code;
  boost::beast::flat_buffer buffer;
  http::request<http::string_body> request;
  stream.handshake(ssl::stream_base::server, code);
  if (!code) {
    http::read(stream, buffer, request, code);
  }
  FakeReply reply;
  std::uint64_t generation = 0;
  if (!code) {
    const std::lock_guard lock(mutex_);
    requests_.push_back(seen(request));
    reply = script_(requests_.back());
    generation = stream_generation_;
  }
  if (!code && !reply.streamed) {
    http::response<http::string_body> response(static_cast<http::status>(reply.status), 11);
    response.set(http::field::content_type, "application/json");
    response.body() = reply.body;
    response.prepare_payload();
    http::write(stream, response, code);
  } else if (!code) {
    http::response<http::empty_body> response(static_cast<http::status>(reply.status), 11);
    response.set(http::field::content_type, "application/json");
    response.chunked(true);
    http::response_serializer<http::empty_body> header(response);
    http::write_header(stream, header, code);
    for (const std::string& line : reply.lines) {
      net::write(stream, http::make_chunk(net::buffer(line + "\n")), code);
    }
    bool dropped = false;
    if (reply.held_open) {
      std::unique_lock lock(mutex_);
      streams_released_.wait(lock, [&] { return down_ || stream_generation_ != generation; });
      dropped = down_;
    }
    if (!dropped) {
      net::write(stream, http::make_chunk_last(), code);
    }
  }
  const std::lock_guard lock(mutex_);
  open_sockets_.erase(std::remove(open_sockets_.begin(), open_sockets_.end(), descriptor), open_sockets_.end());
  socket.close(code);
}

}  // namespace windowguard::testing
