#include "server/observation.hpp"

#include "logging/log.hpp"

namespace windowguard::server {
namespace {

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

void observe_evicted_pod_read(Metrics& metrics, const admission::AdmissionRequest& request,
                              const EvictedPodRead& read) {
  metrics.count_evicted_pod_read(read.read);
  if (!read.read) {
    logging::LogLine(spdlog::level::warn, "evicted Pod unread: every binding of its namespace applies")
        .field("uid", request.uid)
        .field("namespace", request.namespace_name)
        .field("name", request.name)
        .field("reason", read.problem)
        .emit();
  }
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

}  // namespace

void observe(Metrics& metrics, const Answer& answer) {
  if (!answer.malformed_review.empty()) {
    logging::LogLine(spdlog::level::warn, "malformed AdmissionReview").field("reason", answer.malformed_review).emit();
  }
  metrics.count_response(answer.endpoint, answer.response.result_int());
}

void observe(Metrics& metrics, const DecidedReview& decided, const core::Policy& policy,
             std::chrono::nanoseconds latency) {
  const admission::AdmissionRequest& request = decided.review.request();
  const admission::AdmissionDecision& decision = decided.decision;
  if (decided.evicted_pod) {
    observe_evicted_pod_read(metrics, request, *decided.evicted_pod);
  }
  const AdmissionOutcome outcome = outcome_of(decision);
  metrics.count_admission(decision.action, decision.request_write, outcome, request.dry_run, latency);
  log_decision(request, decision, outcome, policy, latency);
  metrics.count_response(Endpoint::Validate, decided.response.result_int());
}

}  // namespace windowguard::server
