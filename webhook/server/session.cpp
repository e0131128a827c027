#include "server/session.hpp"

#include <openssl/ssl.h>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "logging/log.hpp"
#include "server/endpoints/pages.hpp"
#include "server/endpoints/scrape.hpp"
#include "server/endpoints/validate.hpp"
#include "server/observation.hpp"
#include "server/responses.hpp"

namespace windowguard::server {
namespace {

namespace beast = boost::beast;

// Large reads: otherwise TLS records are read a few hundred bytes at a time.
constexpr std::size_t kReadSize = std::size_t{64} * 1024;
constexpr std::chrono::seconds kCloseTimeout{2};

bool is_parse_error(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_target).category();
}

}  // namespace

Session::Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> tls,
                 ThreadState& thread, bool pages_only)
    : tls_(std::move(tls)),
      stream_(std::move(socket), *tls_),
      thread_(thread),
      pages_only_(pages_only),
      read_deadline_(stream_.get_executor()) {
  thread_.shared.metrics.connection_opened();
  thread_.sessions.insert(this);
  buffer_.reserve(kReadSize);
}

Session::~Session() {
  thread_.sessions.erase(this);
  thread_.shared.metrics.connection_closed();
}

void Session::start() {
  beast::get_lowest_layer(stream_).expires_after(thread_.shared.config.handshake_timeout);
  stream_.async_handshake(boost::asio::ssl::stream_base::server, [self = shared_from_this()](beast::error_code error) {
    if (error) {
      logging::LogLine(spdlog::level::debug, "TLS handshake failed").field("error", error.message()).emit();
      return;
    }
    self->wait_for_request();
  });
}

void Session::drain() {
  if (idle_) {
    beast::get_lowest_layer(stream_).socket().cancel();
  }
}

void Session::wait_for_request() {
  const ServerConfig& config = thread_.shared.config;
  if (thread_.shared.draining.load(std::memory_order_relaxed)) {
    close();
    return;
  }
  parser_.emplace();
  parser_->body_limit(config.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
  if (buffer_.size() > 0) {  // a pipelined request is already here
    read_header();
    return;
  }
  // Idle keep-alive: wait up to the idle timeout for the next request's first
  // bytes; only then does the (shorter) header deadline start.
  idle_ = true;
  beast::get_lowest_layer(stream_).expires_after(config.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadSize),
                          [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
                            self->idle_ = false;
                            if (error) {
                              return;
                            }
                            self->buffer_.commit(bytes);
                            self->read_header();
                          });
}

beast::error_code Session::parse_buffered() {
  beast::error_code error;
  if (buffer_.size() > 0 && !parser_->is_done()) {
    buffer_.consume(parser_->put(buffer_.data(), error));
  }
  return error;
}

void Session::read_header() {
  beast::get_lowest_layer(stream_).expires_after(thread_.shared.config.header_timeout);
  if (const beast::error_code error = parse_buffered(); error != http::error::need_more) {
    on_header(error);
    return;
  }
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_header(error); });
}

void Session::on_header(beast::error_code error) {
  if (error == http::error::body_limit) {  // the declared Content-Length is already too large
    fail_request(http::status::payload_too_large,
                 "request body larger than " + std::to_string(thread_.shared.config.max_body_bytes) + " bytes");
    return;
  }
  if (error == http::error::header_limit) {
    fail_request(http::status::request_header_fields_too_large, "request header too large");
    return;
  }
  if (error) {
    if (is_parse_error(error)) {
      fail_request(http::status::bad_request, "malformed HTTP request: " + error.message());
    }
    return;  // timeout, reset or end of stream: the connection ends
  }
  if (parser_->content_length() && *parser_->content_length() > thread_.shared.config.max_body_bytes) {
    fail_request(http::status::payload_too_large,
                 "request body larger than " + std::to_string(thread_.shared.config.max_body_bytes) + " bytes");
    return;
  }
  beast::get_lowest_layer(stream_).expires_after(thread_.shared.config.body_timeout);
  if (const beast::error_code body_error = parse_buffered();
      parser_->is_done() || (body_error && body_error != http::error::need_more)) {
    on_body(body_error);
    return;
  }
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_body(error); });
}

void Session::on_body(beast::error_code error) {
  if (error == http::error::body_limit) {
    fail_request(http::status::payload_too_large,
                 "request body larger than " + std::to_string(thread_.shared.config.max_body_bytes) + " bytes");
    return;
  }
  if (error) {
    if (is_parse_error(error)) {
      fail_request(http::status::bad_request, "malformed HTTP request: " + error.message());
    }
    return;
  }
  received_ = std::chrono::steady_clock::now();
  Request request = parser_->release();
  const HandlerContext context = this->context();
  Handled handled = handle_request(request, context);
  if (PendingReview* pending = std::get_if<PendingReview>(&handled)) {
    read_for_review(std::move(*pending));
  } else if (const PendingScrape* scrape_asked = std::get_if<PendingScrape>(&handled)) {
    scrape(*scrape_asked);
  } else if (PendingPage* page_asked = std::get_if<PendingPage>(&handled)) {
    render_page(std::move(*page_asked));
  } else if (DecidedReview* decided = std::get_if<DecidedReview>(&handled)) {
    answer_decided(std::move(*decided), *context.policy);
  } else {
    answer(std::get<Answer>(std::move(handled)));
  }
}

HandlerContext Session::context() const {
  const std::shared_ptr<const core::Policy>& policy = thread_.policy.get();
  const std::shared_ptr<const std::string>& not_ready = thread_.not_ready_reason.get();
  return HandlerContext{policy.get(),
                        not_ready ? std::string_view(*not_ready) : std::string_view{},
                        date::floor<core::seconds>(std::chrono::system_clock::now()),
                        thread_.memo,
                        thread_.exceptions.get().get(),
                        thread_.namespace_labels.get().get(),
                        thread_.shared.cluster,
                        thread_.shared.reader != nullptr,
                        thread_.image_approvals.get().get(),
                        thread_.shared.config.ui_token,
                        pages_only_};
}

void Session::read_for_review(PendingReview pending) {
  cluster::ReviewRead needs = std::move(pending.needs);
  pending_ = std::move(pending);
  read_deadline_.expires_after(thread_.shared.config.pod_read_deadline);
  read_deadline_.async_wait([self = shared_from_this()](boost::system::error_code cancelled) {
    if (!cancelled) {
      self->answer_pending(Problem("not read within the time allowed"));
    }
  });
  // The reader calls back on its own thread: the answer is made on this
  // connection's.  The session moves along with it, so that the last
  // reference never drops (and the session is never destroyed) on the
  // reader's thread.
  thread_.shared.reader->read(std::move(needs), [self = shared_from_this()](Result<cluster::ReviewFacts> read) mutable {
    Session& session = *self;
    boost::asio::post(session.stream_.get_executor(), [self = std::move(self), read = std::move(read)]() mutable {
      self->answer_pending(std::move(read));
    });
  });
}

void Session::scrape(PendingScrape pending) {
  ScrapeInputs inputs{thread_.policy.get(), thread_.exceptions.get(), thread_.shared.cluster,
                      date::floor<core::seconds>(std::chrono::system_clock::now())};
  answer_rendered(
      [&](std::function<void(std::string)> done) {
        thread_.shared.renderer->scrape(std::move(inputs), std::move(done));
      },
      [pending](std::string exposition) { return answer_scrape(pending, std::move(exposition)); });
}

void Session::render_page(PendingPage pending) {
  PageInputs inputs{{pending.endpoint == Endpoint::Calendar ? report::PageKind::Calendar : report::PageKind::Timeline,
                     pending.request, thread_.shared.config.ui_people, "windowguard serve"},
                    thread_.policy.get(),
                    thread_.exceptions.get(),
                    thread_.image_approvals.get(),
                    thread_.namespace_labels.get()};
  answer_rendered(
      [&](std::function<void(std::string)> done) { thread_.shared.renderer->page(std::move(inputs), std::move(done)); },
      [pending = std::move(pending)](std::string body) { return answer_page(pending, std::move(body)); });
}

void Session::answer_rendered(const std::function<void(std::function<void(std::string)>)>& start,
                              std::function<Answer(std::string)> make_answer) {
  // The work guard keeps this thread's io_context running until the body is
  // back; the answer is made on this connection's thread.
  auto work = boost::asio::make_work_guard(stream_.get_executor());
  start([self = shared_from_this(), make_answer = std::move(make_answer),
         work = std::move(work)](std::string body) mutable {
    Session& session = *self;
    boost::asio::post(session.stream_.get_executor(),
                      [self = std::move(self), make_answer = std::move(make_answer), body = std::move(body)]() mutable {
                        self->answer(make_answer(std::move(body)));
                      });
    work.reset();
  });
}

void Session::answer_pending(Result<cluster::ReviewFacts> read) {
  if (!pending_) {
    return;  // the read and its deadline: whichever came second
  }
  read_deadline_.cancel();
  const HandlerContext context = this->context();
  DecidedReview decided = answer_review(std::move(*pending_), std::move(read), context);
  pending_.reset();
  answer_decided(std::move(decided), *context.policy);
}

void Session::answer(Answer answer) {
  observe(thread_.shared.metrics, answer);
  reply(std::move(answer.response));
}

void Session::answer_decided(DecidedReview decided, const core::Policy& policy) {
  observe(thread_.shared.metrics, decided, policy, std::chrono::steady_clock::now() - received_);
  reply(std::move(decided.response));
}

void Session::reply(Response response) {
  if (thread_.shared.draining.load(std::memory_order_relaxed)) {
    response.keep_alive(false);
  }
  send(std::move(response));
}

void Session::fail_request(http::status status, std::string reason) {
  logging::LogLine(spdlog::level::warn, "request refused")
      .field("status", static_cast<std::int64_t>(status))
      .field("reason", reason)
      .emit();
  const Endpoint endpoint =
      parser_ && parser_->is_header_done()
          ? endpoint_of(std::string_view(parser_->get().target().data(), parser_->get().target().size()),
                        thread_.shared.config.ui_token)
          : Endpoint::Other;
  thread_.shared.metrics.count_response(endpoint, static_cast<unsigned>(status));
  send(error_response(status, 11, std::move(reason)));
}

void Session::send(Response response) {
  response_ = std::move(response);
  beast::get_lowest_layer(stream_).expires_after(thread_.shared.config.body_timeout);
  http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code error, std::size_t) {
    if (error) {
      return;
    }
    if (self->response_.keep_alive()) {
      self->wait_for_request();
    } else {
      self->close();
    }
  });
}

void Session::close() {
  beast::get_lowest_layer(stream_).expires_after(kCloseTimeout);
  // Send our close_notify and close, without waiting for the client's: RFC
  // 8446 section 6.1 asks only that each side send one, and nothing more is
  // read from this connection.  Waiting held the connection (and OpenSSL's
  // read buffers, reallocated for it) open for another round trip.
  SSL_set_shutdown(stream_.native_handle(), SSL_RECEIVED_SHUTDOWN);
  stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
}

}  // namespace windowguard::server
