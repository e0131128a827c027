#include "sidecar/sidecar.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <memory>

#include "logging/log.hpp"
#include "policy/file_fingerprint.hpp"
#include "sidecar/publisher.hpp"
#include "sidecar/sidecar_state.hpp"

namespace windowguard::sidecar {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using logging::LogLine;

constexpr std::chrono::seconds kRequestTimeout{5};

// One plain-HTTP exchange, then close: only probes and scrapes come here.
class ProbeSession : public std::enable_shared_from_this<ProbeSession> {
 public:
  ProbeSession(asio::ip::tcp::socket socket, const SidecarState& state) : stream_(std::move(socket)), state_(state) {}

  void start() {
    stream_.expires_after(kRequestTimeout);
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (!error) {
        self->respond();
      }
    });
  }

 private:
  void respond() {
    const std::string_view target(request_.target().data(), request_.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    response_.version(request_.version());
    response_.keep_alive(false);
    response_.set(http::field::content_type, "text/plain; charset=utf-8");
    if (request_.method() != http::verb::get) {
      response_.result(http::status::method_not_allowed);
      response_.body() = "use GET\n";
    } else if (path == "/healthz") {
      response_.result(http::status::ok);
      response_.body() = "ok\n";
    } else if (path == "/readyz") {
      response_.result(state_.ready.load() ? http::status::ok : http::status::service_unavailable);
      response_.body() = state_.ready.load() ? "ready\n" : "not ready: no valid policy version published yet\n";
    } else if (path == "/metrics") {
      response_.result(http::status::ok);
      response_.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response_.body() = state_.render_metrics();
    } else {
      response_.result(http::status::not_found);
      response_.body() = "not found\n";
    }
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  const SidecarState& state_;
};

void accept(asio::ip::tcp::acceptor& acceptor, const SidecarState& state) {
  acceptor.async_accept([&acceptor, &state](boost::system::error_code error, asio::ip::tcp::socket socket) {
    if (error == asio::error::operation_aborted) {
      return;
    }
    if (!error) {
      std::make_shared<ProbeSession>(std::move(socket), state)->start();
    }
    accept(acceptor, state);
  });
}

class Poller {
 public:
  Poller(const SidecarConfig& config, SidecarState& state, asio::io_context& io)
      : config_(config), state_(state), timer_(io), publisher_(config.source, config.publish) {}

  void start() {
    state_.ready = publisher_.has_published_version();
    if (state_.ready) {
      LogLine(spdlog::level::info, "a published version is already in place").field("publish", config_.publish).emit();
    }
    poll();
  }

  void stop() { timer_.cancel(); }

 private:
  void poll() {
    std::string fingerprint = policy::fingerprint_policy_directory(config_.source);
    if (fingerprint != fingerprint_) {
      const PublishOutcome outcome = publisher_.publish_if_valid();
      report(outcome);
      // Retried on the next poll: a failed publish (disk full, read-only), and
      // a rejection of a source that changed while it was read.
      const bool retry = outcome.result == PublishOutcome::Result::Failed ||
                         (outcome.result == PublishOutcome::Result::Rejected &&
                          policy::fingerprint_policy_directory(config_.source) != fingerprint);
      fingerprint_ = retry ? std::string{} : std::move(fingerprint);
    }
    timer_.expires_after(config_.interval);
    timer_.async_wait([this](boost::system::error_code cancelled) {
      if (!cancelled) {
        poll();
      }
    });
  }

  void report(const PublishOutcome& outcome) {
    switch (outcome.result) {
      case PublishOutcome::Result::Published:
        ++state_.accepted;
        state_.last_success = state_.last_change = unix_now();
        state_.ready = true;
        LogLine(spdlog::level::info, "policy version published")
            .field("source", config_.source)
            .field("version", outcome.version)
            .emit();
        return;
      case PublishOutcome::Result::Unchanged:
        state_.ready = true;
        return;
      case PublishOutcome::Result::Rejected: {
        ++state_.rejected;
        state_.last_change = unix_now();
        std::vector<std::string> errors;
        for (const Problem& error : outcome.errors) {
          errors.push_back(error.to_string());
        }
        LogLine(spdlog::level::err, "policy version rejected; the published version stays")
            .field("source", config_.source)
            .field("errors", errors)
            .emit();
        return;
      }
      case PublishOutcome::Result::Failed:
        ++state_.failed;
        state_.last_change = unix_now();
        LogLine(spdlog::level::err, "publishing failed; the published version stays")
            .field("publish", config_.publish)
            .field("error", outcome.failure)
            .emit();
        return;
    }
  }

  const SidecarConfig& config_;
  SidecarState& state_;
  asio::steady_timer timer_;
  Publisher publisher_;
  std::string fingerprint_;
};

}  // namespace

int run_sidecar(const SidecarConfig& config) {
  asio::io_context io{1};
  SidecarState state;
  asio::ip::tcp::acceptor acceptor(io);
  try {
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(config.listen_host), config.listen_port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
  } catch (const boost::system::system_error& problem) {
    LogLine(spdlog::level::err, "cannot listen")
        .field("address", config.listen_host + ":" + std::to_string(config.listen_port))
        .field("error", problem.code().message())
        .emit();
    return 1;
  }
  Poller poller(config, state, io);
  poller.start();
  accept(acceptor, state);
  LogLine(spdlog::level::info, "listening")
      .field("address", config.listen_host + ":" + std::to_string(acceptor.local_endpoint().port()))
      .field("port", static_cast<std::int64_t>(acceptor.local_endpoint().port()))
      .field("source", config.source)
      .field("publish", config.publish)
      .emit();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int) {
    LogLine(spdlog::level::info, "shutting down").emit();
    poller.stop();
    boost::system::error_code ignored;
    acceptor.close(ignored);
    io.stop();
  });
  io.run();
  LogLine(spdlog::level::info, "stopped").emit();
  return 0;
}

}  // namespace windowguard::sidecar
