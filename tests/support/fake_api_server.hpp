#pragma once
// A scripted stand-in for the API server, on 127.0.0.1 over TLS, for the
// unit tests of the cluster client: each request is answered by the test's
// script, whole or streamed line by line as a watch is.  It can end its open
// streams cleanly, or go down at once (every connection dropped, every later
// one refused), as an API server that stops does.
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "cluster/credentials.hpp"

namespace windowguard::testing {

struct FakeRequest {
  std::string method;  // "GET", "PATCH"
  std::string target;  // "/api/v1/namespaces?limit=500"
  std::string authorization;
  std::string content_type;
  std::string body;
};

struct FakeReply {
  unsigned status = 200;
  std::string body;                // a whole reply, unless `streamed`
  bool streamed = false;           // chunked: each of `lines` is one chunk, then the end
  std::vector<std::string> lines;  // without their newlines
  bool held_open = false;          // streamed: no end until end_streams() or go_down()
};

// A whole reply; a streamed one.
inline FakeReply whole(unsigned status, std::string body) {
  return FakeReply{status, std::move(body), false, {}, false};
}
inline FakeReply streamed(std::vector<std::string> lines, bool held_open) {
  return FakeReply{200, "", true, std::move(lines), held_open};
}

class FakeApiServer {
 public:
  using Script = std::function<FakeReply(const FakeRequest&)>;

  // Serves with `certificates`/server.crt and server.key (tests/support/
  // make-test-certs.sh makes them); the script is called one request at a time.
  FakeApiServer(const std::filesystem::path& certificates, Script script);
  ~FakeApiServer();
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  // How a client reaches it: 127.0.0.1, its port, the test CA and `token`.
  cluster::Credentials credentials(const std::string& token) const;
  // The requests seen so far, in order.
  std::vector<FakeRequest> requests() const;
  // Ends every held stream as a server ends a watch at its timeout.
  void end_streams();
  // Drops every connection mid-stream and refuses new ones.
  void go_down();

 private:
  void accept_connections();
  void serve(boost::asio::ip::tcp::socket socket);

  std::filesystem::path certificates_;
  Script script_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable streams_released_;
  std::uint64_t stream_generation_ = 0;  // end_streams() moves it on
  bool down_ = false;
  std::vector<FakeRequest> requests_;
  std::vector<int> open_sockets_;
  std::vector<std::thread> connections_;
  std::thread acceptor_thread_;
};

}  // namespace windowguard::testing
