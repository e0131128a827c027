#pragma once
// The webhook's HTTP semantics as a plain function: a request in, a response
// out.  No sockets, no TLS, no threads (Beast's server-flex example's
// handle_request, grown up).
#include <memory>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

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
};

// Routes and answers one request; the body is moved out of `request`.
Response handle_request(Request& request, const HandlerContext& context);

// Which endpoint a request target ("/validate?timeout=5s") names.
Endpoint endpoint_of(std::string_view target);

// A bodyless error for requests that never became whole (413, 431, 400).
Response error_response(http::status status, unsigned version, std::string reason);

}  // namespace windowguard::server
