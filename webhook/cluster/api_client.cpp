#include "cluster/api_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <limits>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace windowguard::cluster {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

constexpr std::size_t kStreamChunk = std::size_t{16} * 1024;
constexpr std::size_t kLongestLine = std::size_t{16} * 1024 * 1024;

// One connection, driven by the calling thread: each operation is started
// asynchronously and the connection's own io_context is run until it
// completes, so that the stream's timer bounds it and another thread can
// cancel it through the Interrupter.
class Connection {
 public:
  Connection(ssl::context& context, Interrupter& interrupter, std::chrono::seconds silence)
      : stream_(io_, context), interrupter_(interrupter), silence_(silence) {
    interrupter_.attach([this] { net::post(io_, [this] { beast::get_lowest_layer(stream_).cancel(); }); });
  }
  ~Connection() { interrupter_.detach(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }

  // Starts `operation(handler)` and runs until the handler has been called.
  template <typename Operation>
  error_code run(Operation operation) {
    if (interrupter_.interrupted()) {
      return net::error::operation_aborted;
    }
    beast::get_lowest_layer(stream_).expires_after(silence_);
    std::optional<error_code> result;
    operation([&result](error_code code, auto&&...) { result = code; });
    io_.restart();
    while (!result && io_.run_one() > 0) {
    }
    if (interrupter_.interrupted()) {
      return net::error::operation_aborted;
    }
    return result.value_or(net::error::operation_aborted);
  }

 private:
  net::io_context io_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  Interrupter& interrupter_;
  std::chrono::seconds silence_;
};

std::string describe(const error_code& code, const std::string& what) {
  if (code == beast::error::timeout) {
    return what + ": no answer within the time allowed";
  }
  if (code == net::error::operation_aborted) {
    return what + ": interrupted";
  }
  return what + ": " + code.message();
}

}  // namespace

void Interrupter::interrupt() {
  const std::lock_guard lock(mutex_);
  interrupted_ = true;
  if (cancel_) {
    cancel_();
  }
}

bool Interrupter::interrupted() const {
  const std::lock_guard lock(mutex_);
  return interrupted_;
}

void Interrupter::attach(std::function<void()> cancel) {
  const std::lock_guard lock(mutex_);
  cancel_ = std::move(cancel);
}

void Interrupter::detach() {
  const std::lock_guard lock(mutex_);
  cancel_ = nullptr;
}

struct ApiClient::Tls {
  ssl::context context{ssl::context::tls_client};
  std::string problem;
};

ApiClient::ApiClient(Credentials credentials, std::chrono::seconds silence)
    : credentials_(std::move(credentials)), silence_(silence), tls_(std::make_unique<Tls>()) {
  ssl::context& context = tls_->context;
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  error_code code;
  if (credentials_.ca_pem.empty()) {
    context.set_default_verify_paths(code);
  } else {
    context.add_certificate_authority(net::buffer(credentials_.ca_pem), code);
  }
  if (code) {
    tls_->problem = "the cluster's CA certificate: " + code.message();
    return;
  }
  if (!credentials_.client_certificate_pem.empty()) {
    context.use_certificate_chain(net::buffer(credentials_.client_certificate_pem), code);
    if (!code) {
      context.use_private_key(net::buffer(credentials_.client_key_pem), ssl::context::pem, code);
    }
    if (code) {
      tls_->problem = "the client certificate or key: " + code.message();
    }
  }
}

ApiClient::~ApiClient() = default;

const std::string& ApiClient::setup_problem() const { return tls_->problem; }

namespace {

http::verb verb_of(ApiRequest::Method method) {
  switch (method) {
    case ApiRequest::Method::Post:
      return http::verb::post;
    case ApiRequest::Method::Patch:
      return http::verb::patch;
    case ApiRequest::Method::Get:
      break;
  }
  return http::verb::get;
}

// Connects, verifies the server's certificate for the host (a name or an IP
// address) and sends the request.
error_code open_and_send(Connection& connection, const Credentials& credentials, const ApiRequest& api_request,
                         const std::string& token, std::string& failure) {
  auto& stream = connection.stream();
  SSL* native = stream.native_handle();
  X509_VERIFY_PARAM* verify = SSL_get0_param(native);
  if (X509_VERIFY_PARAM_set1_ip_asc(verify, credentials.host.c_str()) != 1) {
    X509_VERIFY_PARAM_set1_host(verify, credentials.host.c_str(), 0);
    SSL_set_tlsext_host_name(native, credentials.host.c_str());
  }
  tcp::resolver resolver(stream.get_executor());
  error_code code;
  const auto endpoints = resolver.resolve(credentials.host, credentials.port, code);
  if (code) {
    failure = describe(code, "cannot resolve " + credentials.host);
    return code;
  }
  code = connection.run([&](auto handler) { beast::get_lowest_layer(stream).async_connect(endpoints, handler); });
  if (code) {
    failure = describe(code, "cannot connect to " + credentials.host + ":" + credentials.port);
    return code;
  }
  code = connection.run([&](auto handler) { stream.async_handshake(ssl::stream_base::client, handler); });
  if (code) {
    failure = describe(code, "TLS handshake with the API server");
    return code;
  }
  http::request<http::string_body> request(verb_of(api_request.method), api_request.target, 11);
  request.set(http::field::host, credentials.host);
  if (api_request.method != ApiRequest::Method::Get) {
    request.set(http::field::content_type, api_request.content_type);
    request.body() = api_request.body;
    request.prepare_payload();
  }
  request.set(http::field::accept, "application/json");
  request.set(http::field::user_agent, "windowguard");
  if (!token.empty()) {
    request.set(http::field::authorization, "Bearer " + token);
  }
  code = connection.run([&](auto handler) { http::async_write(stream, request, handler); });
  if (code) {
    failure = describe(code, "sending " + api_request.target);
  }
  return code;
}

// What every request does first: the TLS set-up's problem, the token read
// now (it rotates), then connect and send.
std::optional<Problem> start(Connection& connection, const Credentials& credentials, const std::string& tls_problem,
                             const ApiRequest& request) {
  if (!tls_problem.empty()) {
    return Problem(tls_problem);
  }
  auto token = current_token(credentials);
  if (!token) {
    return token.error();
  }
  std::string failure;
  if (open_and_send(connection, credentials, request, token.value(), failure)) {
    return Problem(failure);
  }
  return std::nullopt;
}

}  // namespace

Result<ApiResponse> ApiClient::send(const ApiRequest& request, Interrupter& interrupter, std::size_t body_limit) {
  Connection connection(tls_->context, interrupter, silence_);
  if (auto problem = start(connection, credentials_, tls_->problem, request)) {
    return *problem;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  const error_code code = connection.run(
      [&](auto handler) { http::async_read(connection.stream(), connection.buffer(), parser, handler); });
  if (code) {
    return Problem(describe(code, "reading the answer to " + request.target));
  }
  return ApiResponse{parser.get().result_int(), std::move(parser.get().body())};
}

Result<ApiResponse> ApiClient::stream(const std::string& target, Interrupter& interrupter,
                                      const StreamHandlers& handlers) {
  Connection connection(tls_->context, interrupter, silence_);
  if (auto problem =
          start(connection, credentials_, tls_->problem, ApiRequest{ApiRequest::Method::Get, target, {}, {}})) {
    return *problem;
  }
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  error_code code = connection.run(
      [&](auto handler) { http::async_read_header(connection.stream(), connection.buffer(), parser, handler); });
  if (code) {
    return Problem(describe(code, "reading GET " + target));
  }
  const unsigned status = parser.get().result_int();
  if (status == 200) {
    handlers.on_open();
  }
  std::string pending;
  std::string chunk(kStreamChunk, '\0');
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    // read_some: an event is handed on as soon as it arrives, not once the chunk buffer is full.
    code = connection.run(
        [&](auto handler) { http::async_read_some(connection.stream(), connection.buffer(), parser, handler); });
    if (code == http::error::need_buffer) {
      code = {};
    }
    if (code) {
      return Problem(describe(code, "reading the watch " + target));
    }
    pending.append(chunk.data(), chunk.size() - parser.get().body().size);
    if (status != 200) {
      continue;
    }
    std::size_t start = 0;
    for (std::size_t end = pending.find('\n'); end != std::string::npos; end = pending.find('\n', start)) {
      if (!handlers.on_line(std::string_view(pending).substr(start, end - start))) {
        return ApiResponse{status, {}};
      }
      start = end + 1;
    }
    if (start != 0) {
      handlers.after_lines();
    }
    pending.erase(0, start);
    if (pending.size() > kLongestLine) {
      return Problem("the watch " + target + " sent a line longer than 16 MiB");
    }
  }
  return ApiResponse{status, status == 200 ? std::string() : std::move(pending)};
}

}  // namespace windowguard::cluster
