#include "server/listener.hpp"

#include <boost/asio/socket_base.hpp>

#include "logging/log.hpp"
#include "server/session.hpp"

namespace windowguard::server {
namespace {
using ReusePort = boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
}

Listener::Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, ThreadState& thread,
                   bool pages_only)
    : acceptor_(io), retry_(io), thread_(thread), pages_only_(pages_only) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor_.set_option(ReusePort(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
}

void Listener::start() { accept(); }

void Listener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
}

void Listener::accept() {
  acceptor_.async_accept(
      [self = shared_from_this()](boost::system::error_code error, boost::asio::ip::tcp::socket socket) {
        if (error == boost::asio::error::operation_aborted || !self->acceptor_.is_open()) {
          return;
        }
        SharedState& shared = self->thread_.shared;
        if (error) {
          logging::LogLine(spdlog::level::err, "accept failed").field("error", error.message()).emit();
          self->retry_.expires_after(std::chrono::milliseconds(100));
          self->retry_.async_wait([self](boost::system::error_code cancelled) {
            if (!cancelled) {
              self->accept();
            }
          });
          return;
        }
        {
          if (static_cast<std::size_t>(shared.metrics.open_connections()) >= shared.config.max_connections) {
            shared.metrics.connection_refused();
            logging::LogLine(spdlog::level::warn, "connection refused: too many open")
                .field("limit", static_cast<std::int64_t>(shared.config.max_connections))
                .emit();
          } else {
            socket.set_option(boost::asio::ip::tcp::no_delay(true), error);
            std::make_shared<Session>(std::move(socket), self->thread_.tls.get(), self->thread_, self->pages_only_)
                ->start();
          }
        }
        self->accept();
      });
}

}  // namespace windowguard::server
