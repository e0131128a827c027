#pragma once
// The one decision path from a decoded AdmissionReview to what the requester
// is told: classify (docs/admission.md, "Request -> action"), decide (core),
// explain ("What people see").
// The webhook and `windowguard check` both call evaluate_request.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admission/classifier.hpp"
#include "admission/exception_admission.hpp"
#include "admission/explanation.hpp"
#include "admission/review_decoder.hpp"
#include "core/decision.hpp"
#include "core/decision_memo.hpp"
#include "core/images/image_rules.hpp"
#include "core/namespace_labels.hpp"

namespace windowguard::admission {

struct AdmissionDecision {
  bool allowed = true;
  Classification classification;
  // The governed action decided on (the first denied one, else the first);
  // empty when the request is not governed.
  std::optional<core::Action> action;
  // A write to a WindowException or an ImageApproval: what it does.
  std::optional<RequestWrite> request_write;
  std::shared_ptr<const core::Decision> decision;  // null when not governed
  std::string message;                             // the denial text, or why it is allowed
  // Its images deny it (an image policy, a missing approval): unlike a
  // window's block, no amount of waiting lifts that.
  bool denied_by_images = false;
  std::vector<std::string> warnings;
  AuditAnnotations audit_annotations;
};

// What the webhook knows of the cluster: its WindowExceptions, its
// Namespaces' labels, who windowguard is there, for an eviction the labels of the Pod
// evicted, its ImageApprovals, and for a promotion request the images its
// source runs.  Empty without cluster access.
struct ClusterFacts {
  const core::ExceptionBook* exceptions = nullptr;
  const core::NamespaceLabels* namespace_labels = nullptr;
  std::string windowguard_user = {};
  const ObjectLabels* evicted_pod_labels = nullptr;
  const core::ImageApprovalBook* image_approvals = nullptr;
  SourceImages promotion_source = {};
};

// The decision's action as the log and the metrics name it: the governed
// action, else what a write to a request does, else "none".
std::string_view action_label(const AdmissionDecision& decision);

// `memo`, optional: the calling thread's (see core::DecisionMemo).
AdmissionDecision evaluate_request(const core::Policy& policy, const AdmissionRequest& request, core::Instant at,
                                   core::DecisionMemo* memo = nullptr, const ClusterFacts& cluster = {});

}  // namespace windowguard::admission
