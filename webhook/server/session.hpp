#pragma once
// One TLS connection's life: handshake, then requests read with a body limit
// and deadlines (idle, header, body), answered by the router (handle_request)
// and observed, kept alive.
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "server/router.hpp"
#include "server/server_state.hpp"

namespace windowguard::server {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `pages_only`: a connection of --ui-listen, answered /ui and /calendar.ics only.
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> tls, ThreadState& thread,
          bool pages_only);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  // Shutting down: an idle connection closes now, a busy one after its response.
  void drain();

 private:
  void wait_for_request();
  // Feeds the parser the bytes already read.  Beast's async reads would do
  // the same, but when they need no I/O they queue their completion behind
  // every other connection's pending work (a TLS handshake is a millisecond
  // of it): a delay each request would pay at every step.
  boost::beast::error_code parse_buffered();
  void read_header();
  void on_header(boost::beast::error_code error);
  void on_body(boost::beast::error_code error);
  HandlerContext context() const;
  // An eviction or a promotion request: what it needs is read on the review
  // reader's threads while this one serves other connections; the review is
  // answered when the read ends or its deadline passes, whichever comes
  // first.
  void read_for_review(PendingReview pending);
  void scrape(PendingScrape pending);
  void render_page(PendingPage pending);
  // `start` asks the renderer for a body and hands it the callback; the
  // answer is made of the body on this connection's thread.
  void answer_rendered(const std::function<void(std::function<void(std::string)>)>& start,
                       std::function<Answer(std::string)> make_answer);
  void answer_pending(Result<cluster::ReviewFacts> read);
  // Each observes what it answers (server/observation.hpp), then replies.
  void answer(Answer answer);
  void answer_decided(DecidedReview decided, const core::Policy& policy);
  // Closes the connection after this response while the server drains.
  void reply(Response response);
  void fail_request(http::status status, std::string reason);
  void send(Response response);
  void close();

  std::shared_ptr<boost::asio::ssl::context> tls_;  // outlives the stream that uses it
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  ThreadState& thread_;
  bool pages_only_;
  bool idle_ = false;
  std::chrono::steady_clock::time_point received_;  // when the request in hand was whole: its latency's start
  std::optional<PendingReview> pending_;
  boost::asio::steady_timer read_deadline_;
};

}  // namespace windowguard::server
