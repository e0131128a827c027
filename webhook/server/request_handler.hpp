#pragma once
// The webhook's HTTP semantics as a plain function: a request in, a response
// out.  No sockets, no TLS, no threads (Beast's server-flex example's
// handle_request, grown up).
#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "admission/review_decoder.hpp"
#include "cluster/cluster_view.hpp"
#include "core/decision_memo.hpp"
#include "core/policy.hpp"
#include "server/metrics.hpp"

namespace windowguard::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct HandlerContext {
  const core::Policy* policy = nullptr;  // null until a valid policy is loaded
  std::string_view not_ready_reason;     // empty when ready
  core::Instant now;
  Metrics& metrics;
  core::DecisionMemo& memo;                                 // the I/O thread's
  const core::ExceptionBook* exceptions = nullptr;          // the cluster's; null without cluster access
  const core::NamespaceLabels* namespace_labels = nullptr;  // the cluster's; null without cluster access
  const cluster::ClusterView* cluster = nullptr;            // null without cluster access
  bool reads_cluster = false;  // an eviction's Pod and a promotion's source can be read from the API server
  const core::ImageApprovalBook* image_approvals = nullptr;  // the cluster's; null without cluster access
};

// A /validate decoded, waiting for what it needs from the API server: a Pod
// eviction for its Pod (the Eviction names its Pod but carries none of its
// labels), a promotion request for its source's workloads (whose images it
// must run).
struct PendingReview {
  admission::DecodedReview review;
  std::vector<std::string> reads;  // API paths, for the reader
  unsigned version = 11;
  bool keep_alive = true;
  std::chrono::steady_clock::time_point started;
};

// A GET /metrics: rendered off the I/O thread (server/scraper.hpp), then
// answered with answer_scrape.
struct PendingScrape {
  unsigned version = 11;
  bool keep_alive = true;
};

using Handled = std::variant<Response, PendingReview, PendingScrape>;

// Routes and answers one request; the body is moved out of `request`.  With
// `context.reads_cluster`, an eviction's or a promotion's review comes back
// pending instead: read its `reads`, then answer_review.
Handled handle_request(Request& request, const HandlerContext& context);

// Decides a pending review with what was read.  An eviction whose Pod could
// not be read is decided under every binding of its environment; a
// promotion whose source could not be read is refused, saying why.
Response answer_review(const PendingReview& pending, const Result<std::vector<std::string>>& read,
                       const HandlerContext& context);

// The exposition a scrape rendered, as the response to it.
Response answer_scrape(const PendingScrape& pending, std::string exposition, Metrics& metrics);

// Which endpoint a request target ("/validate?timeout=5s") names.
Endpoint endpoint_of(std::string_view target);

// A bodyless error for requests that never became whole (413, 431, 400).
Response error_response(http::status status, unsigned version, std::string reason);

}  // namespace windowguard::server
