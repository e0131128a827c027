#pragma once
// Accepts connections for one I/O thread.  Every thread has its own acceptor
// on the same port (SO_REUSEPORT): the kernel spreads connections, and no
// connection ever crosses threads.
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/server_state.hpp"

namespace windowguard::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Throws boost::system::system_error when the address cannot be bound.
  // `pages_only`: the --ui-listen listener, whose connections get the page
  // and the feed only.
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, ThreadState& thread,
           bool pages_only = false);

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void start();
  void stop();

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // after an accept error such as running out of descriptors
  ThreadState& thread_;
  bool pages_only_;
};

}  // namespace windowguard::server
