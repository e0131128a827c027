#include "server/request_handler.hpp"

#include <charconv>
#include <chrono>

#include "admission/admission_decision.hpp"
#include "admission/exception_admission.hpp"
#include "admission/response_encoder.hpp"
#include "admission/review_decoder.hpp"
#include "admission/template_images.hpp"
#include "cluster/review_reader.hpp"
#include "core/decision.hpp"
#include "core/time_text.hpp"
#include "core/upcoming.hpp"
#include "logging/log.hpp"
#include "report/occurrences_json.hpp"
#include "server/query_string.hpp"

namespace windowguard::server {
namespace {

Response respond(unsigned version, bool keep_alive, http::status status, std::string_view content_type,
                 std::string body) {
  Response response(status, version);
  response.set(http::field::content_type, content_type);
  response.keep_alive(keep_alive);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response respond(const Request& request, http::status status, std::string_view content_type, std::string body) {
  return respond(request.version(), request.keep_alive(), status, content_type, std::move(body));
}

Response text(const Request& request, http::status status, std::string body) {
  return respond(request, status, "text/plain; charset=utf-8", std::move(body) + "\n");
}

bool is_json(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  constexpr std::string_view kJson = "application/json";
  return media.size() == kJson.size() && std::equal(media.begin(), media.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

AdmissionOutcome outcome_of(const admission::AdmissionDecision& decision) {
  if (!decision.allowed) {
    return AdmissionOutcome::Denied;
  }
  if (!decision.decision || decision.decision->bypassed.empty()) {
    return AdmissionOutcome::Allowed;
  }
  return decision.decision->exceptions.empty() ? AdmissionOutcome::AllowedExempt : AdmissionOutcome::AllowedByException;
}

void log_decision(const admission::AdmissionRequest& request, const admission::AdmissionDecision& decision,
                  AdmissionOutcome outcome, const core::Policy& policy, std::chrono::nanoseconds latency) {
  if (!logging::log_enabled(spdlog::level::info)) {
    return;
  }
  std::vector<std::string> windows;
  if (decision.decision) {
    for (const core::WindowStatus& status : decision.decision->windows) {
      windows.push_back(policy.windows()[status.window].name);
    }
  }
  logging::LogLine(spdlog::level::info, "admission decision")
      .field("uid", request.uid)
      .field("user", request.username)
      .field("namespace", request.namespace_name)
      .field("kind", decision.classification.kind)
      .field("name", request.name)
      .field("operation", admission::operation_name(request.operation))
      .field("action", admission::action_label(decision))
      .field("decision", outcome_name(outcome))
      .field("windows", windows)
      .field("dryRun", request.dry_run)
      .field("latencyMicroseconds", std::chrono::duration<double, std::micro>(latency).count())
      .field("message", decision.message)
      .field("groups", std::span<const std::string_view>(request.groups.data(), request.groups.size()))
      .emit();
}

// Decides a decoded review and answers it.
Response decide_review(const PendingReview& review, const HandlerContext& context, const rapidjson::Value* evicted_pod,
                       admission::SourceImages promotion_source = {}) {
  const admission::AdmissionRequest& request = review.review.request();
  admission::ClusterFacts cluster{context.exceptions, context.namespace_labels, {},
                                  evicted_pod,        context.image_approvals,  std::move(promotion_source)};
  if (context.cluster != nullptr && admission::is_approvable_object_write(request)) {
    cluster.windowguard_user = context.cluster->identity();
  }
  const admission::AdmissionDecision decision =
      admission::evaluate_request(*context.policy, request, context.now, &context.memo, cluster);
  Response response = respond(review.version, review.keep_alive, http::status::ok, "application/json",
                              admission::encode_response(request.uid, decision));
  const auto latency = std::chrono::steady_clock::now() - review.started;
  const AdmissionOutcome outcome = outcome_of(decision);
  context.metrics.count_admission(decision.action, decision.request_write, outcome, request.dry_run, latency);
  log_decision(request, decision, outcome, *context.policy, latency);
  return response;
}

Response answer_eviction(const PendingReview& pending, const Result<std::vector<std::string>>& read,
                         const HandlerContext& context) {
  const admission::AdmissionRequest& request = pending.review.request();
  rapidjson::Document document;
  std::string unread;
  if (!read) {
    unread = read.error().message;
  } else if (read->size() != 1 || document.Parse(read->front().c_str()).HasParseError() || !document.IsObject()) {
    unread = "the API server's answer is not a Pod's JSON";
  }
  context.metrics.count_evicted_pod_read(unread.empty());
  if (!unread.empty()) {
    logging::LogLine(spdlog::level::warn, "evicted Pod unread: every binding of its namespace applies")
        .field("uid", request.uid)
        .field("namespace", request.namespace_name)
        .field("name", request.name)
        .field("reason", unread)
        .emit();
  }
  return decide_review(pending, context, unread.empty() ? &document : nullptr);
}

// A promotion request is decided with the images its application runs in
// the namespace it names, read from its workloads and Pods.
Response answer_promotion(const PendingReview& pending, const Result<std::vector<std::string>>& read,
                          const HandlerContext& context) {
  const std::optional<admission::PromotionSource> source = admission::promotion_source(pending.review.request());
  if (!source) {
    return decide_review(pending, context, nullptr);  // nothing was needed from the API server
  }
  admission::SourceImages images;
  std::string unread = read ? "" : read.error().message;
  core::RunningImages running;
  for (const std::string& body : read ? *read : std::vector<std::string>{}) {
    rapidjson::Document list;
    if (list.Parse(body.c_str()).HasParseError() || !list.IsObject()) {
      unread = "the API server's answer is not a list's JSON";
      break;
    }
    admission::add_running_images(list, source->application, context.policy->settings(), running);
  }
  if (unread.empty()) {
    images.images = std::move(running);
  } else {
    images.unread = std::move(unread);
  }
  return decide_review(pending, context, nullptr, std::move(images));
}

Handled validate(Request& request, const HandlerContext& context) {
  const auto started = std::chrono::steady_clock::now();
  if (request.method() != http::verb::post) {
    Response response = text(request, http::status::method_not_allowed, "use POST for /validate");
    response.set(http::field::allow, "POST");
    return response;
  }
  if (!is_json(request[http::field::content_type])) {
    return text(request, http::status::unsupported_media_type, "Content-Type must be application/json");
  }
  if (context.policy == nullptr) {
    return text(request, http::status::service_unavailable,
                "no valid policy is loaded: " + std::string(context.not_ready_reason));
  }
  auto decoded = admission::decode_review(std::move(request.body()));
  if (!decoded) {
    const std::string& reason = decoded.error().message;
    logging::LogLine(spdlog::level::warn, "malformed AdmissionReview").field("reason", reason).emit();
    return text(request, http::status::bad_request, "malformed AdmissionReview: " + reason);
  }
  PendingReview review{std::move(decoded).value(), {}, request.version(), request.keep_alive(), started};
  if (!context.reads_cluster) {
    return decide_review(review, context, nullptr);
  }
  const admission::AdmissionRequest& admission_request = review.review.request();
  std::optional<std::vector<std::string>> reads;
  if (admission::is_eviction(admission_request)) {
    reads = cluster::ReviewReader::pod_targets(std::string(admission_request.namespace_name),
                                               std::string(admission_request.name));
  } else if (const auto source = admission::promotion_source(admission_request)) {
    reads = cluster::ReviewReader::promotion_targets(source->namespace_name, context.policy->settings());
  } else {
    return decide_review(review, context, nullptr);
  }
  if (!reads) {
    return answer_review(review, Problem("it names no object the API server could have"), context);
  }
  review.reads = std::move(*reads);
  return review;
}

Response windows(const Request& request, std::string_view query, const HandlerContext& context) {
  if (context.policy == nullptr) {
    return text(request, http::status::service_unavailable,
                "no valid policy is loaded: " + std::string(context.not_ready_reason));
  }
  core::ListingRequest listing;
  listing.at = context.now;
  const std::optional<std::string> environment = query_value(query, "environment");
  const std::optional<std::string> application = query_value(query, "application");
  if (application && !environment) {
    return text(request, http::status::bad_request, "application needs environment");
  }
  if (const std::optional<std::string> days = query_value(query, "days")) {
    int parsed = 0;
    const auto [end, problem] = std::from_chars(days->data(), days->data() + days->size(), parsed);
    if (problem != std::errc{} || end != days->data() + days->size() || parsed < 1 || parsed > core::kMostListedDays) {
      return text(request, http::status::bad_request,
                  "days must be a whole number from 1 to " + std::to_string(core::kMostListedDays));
    }
    listing.ahead = core::days{parsed};
  }
  // The subject only views these strings: they must outlive the listing.
  const std::string application_name = application.value_or("");
  if (environment) {
    listing.subject = core::Subject{*environment, application_name, {}, !application.has_value()};
  }
  return respond(request, http::status::ok, "application/json",
                 report::occurrences_json(*context.policy, core::list_occurrences(*context.policy, listing)));
}

Handled route(Request& request, Endpoint endpoint, std::string_view query, const HandlerContext& context) {
  if (endpoint == Endpoint::Validate) {
    return validate(request, context);
  }
  if (endpoint == Endpoint::Other) {
    return text(request, http::status::not_found, "not found");
  }
  if (request.method() != http::verb::get) {
    Response response = text(request, http::status::method_not_allowed, "use GET");
    response.set(http::field::allow, "GET");
    return response;
  }
  switch (endpoint) {
    case Endpoint::Healthz:
      return text(request, http::status::ok, "ok");
    case Endpoint::Readyz: {
      std::string reason(context.not_ready_reason);
      if (reason.empty() && context.cluster != nullptr) {
        reason = context.cluster->not_ready_reason();
      }
      return reason.empty() ? text(request, http::status::ok, "ready")
                            : text(request, http::status::service_unavailable, "not ready: " + reason);
    }
    case Endpoint::Metrics:
      return PendingScrape{request.version(), request.keep_alive()};
    default:
      return windows(request, query, context);
  }
}

}  // namespace

Endpoint endpoint_of(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/validate") {
    return Endpoint::Validate;
  }
  if (path == "/healthz") {
    return Endpoint::Healthz;
  }
  if (path == "/readyz") {
    return Endpoint::Readyz;
  }
  if (path == "/metrics") {
    return Endpoint::Metrics;
  }
  if (path == "/windows") {
    return Endpoint::Windows;
  }
  return Endpoint::Other;
}

Handled handle_request(Request& request, const HandlerContext& context) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::size_t question = target.find('?');
  const std::string_view query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  const Endpoint endpoint = endpoint_of(target);
  Handled handled = route(request, endpoint, query, context);
  if (const Response* response = std::get_if<Response>(&handled)) {
    context.metrics.count_response(endpoint, response->result_int());
  }
  return handled;
}

Response answer_review(const PendingReview& pending, const Result<std::vector<std::string>>& read,
                       const HandlerContext& context) {
  const admission::AdmissionRequest& request = pending.review.request();
  Response response = admission::is_eviction(request) ? answer_eviction(pending, read, context)
                                                      : answer_promotion(pending, read, context);
  context.metrics.count_response(Endpoint::Validate, response.result_int());
  return response;
}

Response answer_scrape(const PendingScrape& pending, std::string exposition, Metrics& metrics) {
  Response response = respond(pending.version, pending.keep_alive, http::status::ok,
                              "text/plain; version=0.0.4; charset=utf-8", std::move(exposition));
  metrics.count_response(Endpoint::Metrics, response.result_int());
  return response;
}

Response error_response(http::status status, unsigned version, std::string reason) {
  Response response(status, version);
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.keep_alive(false);
  response.body() = std::move(reason) + "\n";
  response.prepare_payload();
  return response;
}

}  // namespace windowguard::server
