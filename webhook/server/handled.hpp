#pragma once
// What the router is given and what it hands back: the context of one
// request, and the outcomes the session acts on and observes.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "admission/admission_decision.hpp"
#include "admission/review_decoder.hpp"
#include "cluster/cluster_view.hpp"
#include "cluster/review_reader.hpp"
#include "core/decision_memo.hpp"
#include "core/policy.hpp"
#include "core/timeline.hpp"
#include "server/metrics.hpp"

namespace windowguard::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct HandlerContext {
  const core::Policy* policy = nullptr;                     // null until a valid policy is loaded
  std::string_view not_ready_reason;                        // empty when ready
  core::Instant now;                                        // the decision's clock, read by the caller
  core::DecisionMemo& memo;                                 // the I/O thread's
  const core::ExceptionBook* exceptions = nullptr;          // the cluster's; null without cluster access
  const core::NamespaceLabels* namespace_labels = nullptr;  // the cluster's; null without cluster access
  const cluster::ClusterView* cluster = nullptr;            // null without cluster access
  bool reads_cluster = false;  // an eviction's Pod and a promotion's source can be read from the API server
  const core::ImageApprovalBook* image_approvals = nullptr;  // the cluster's; null without cluster access
  // The page and the feed answer only under "/<ui_token>/" when it is set
  // (serve --ui-token-file); a connection of --ui-listen gets nothing else.
  std::string_view ui_token = {};
  bool pages_only = false;
};

// A response that is no decision: a probe, /windows, or a request refused
// before any decision.
struct Answer {
  Endpoint endpoint = Endpoint::Other;
  Response response;
  std::string malformed_review;  // why a /validate body was no AdmissionReview (it is logged)
};

// A /validate decoded, waiting for what it needs from the API server: a Pod
// eviction for its Pod (the Eviction names its Pod but carries none of its
// labels), a promotion request for its source's workloads (whose images it
// must run).
struct PendingReview {
  admission::DecodedReview review;
  cluster::ReviewRead needs;  // for the reader
  unsigned version = 11;
  bool keep_alive = true;
};

// How reading an eviction's Pod went.
struct EvictedPodRead {
  bool read = false;
  std::string problem;        // why it was not, when it was not
  cluster::PodLabels labels;  // when it was: the decision's classification views them
};

// A /validate decided: the answer, and what is observed of it.  The review
// comes along (moved, never copied): the decision views its strings.
struct DecidedReview {
  // `decide` makes the decision from the request, and `answer` the response
  // from both, each where it stays: a decision is not small, and the served
  // path moves none.
  template <typename Decide, typename Answer>
  DecidedReview(admission::DecodedReview decoded, std::optional<EvictedPodRead> evicted, Decide&& decide,
                Answer&& answer)
      : review(std::move(decoded)),
        evicted_pod(std::move(evicted)),
        decision(decide(review.request(), evicted_pod)),
        response(answer(review.request(), decision)) {}

  admission::DecodedReview review;
  std::optional<EvictedPodRead> evicted_pod;  // for an eviction, its Pod read from the API server
  admission::AdmissionDecision decision;
  Response response;
};

// A GET /metrics: rendered off the I/O thread (server/renderer.hpp), then
// answered with answer_scrape.
struct PendingScrape {
  unsigned version = 11;
  bool keep_alive = true;
};

// A GET /ui or /calendar.ics: rendered off the I/O thread (server/renderer.hpp),
// then answered by answer_page.
struct PendingPage {
  Endpoint endpoint = Endpoint::Ui;  // or Calendar
  core::TimelineRequest request;
  unsigned version = 11;
  bool keep_alive = true;
};

using Handled = std::variant<Answer, DecidedReview, PendingReview, PendingScrape, PendingPage>;

}  // namespace windowguard::server
