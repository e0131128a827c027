#include "admission/admission_decision.hpp"

#include <algorithm>

#include "admission/exception_admission.hpp"
#include "admission/explanation.hpp"
#include "admission/template_images.hpp"
#include "core/images/image_check.hpp"

namespace windowguard::admission {

namespace {

// The images of a deploy under the policy's approvals and image policies;
// null when the request deploys nothing or the policy has no image rules.
std::shared_ptr<const core::ImageVerdict> check_deployed_images(const core::Policy& policy,
                                                                const AdmissionRequest& request,
                                                                const Classification& classification, core::Instant at,
                                                                core::DecisionMemo* memo, const ClusterFacts& cluster) {
  const bool deploys = std::find(classification.actions.begin(), classification.actions.end(), core::Action::Deploy) !=
                       classification.actions.end();
  if (!deploys || !core::governs_images(policy)) {
    return nullptr;
  }
  const TemplateImages images = template_images(classification);
  core::ImageCheckInput input;
  input.environment = classification.environment;
  input.application = classification.application;
  input.requester = core::Requester{request.username, request.groups};
  input.images = images.images;
  input.added = images.added;
  input.at = at;
  input.approvals = cluster.image_approvals;
  return memo != nullptr ? memo->image_verdicts().check(policy, input)
                         : std::make_shared<const core::ImageVerdict>(core::check_images(policy, input));
}

// The windows' decision on each governed action of the request, until one
// is denied: the first denied action, else the first, is the one decided on.
void decide_windows(const core::Policy& policy, const AdmissionRequest& request, core::Instant at,
                    core::DecisionMemo* memo, const ClusterFacts& cluster, AdmissionDecision& result) {
  const Classification& classification = result.classification;
  for (core::Action action : classification.actions) {
    core::DecisionInput input;
    input.action = action;
    input.subject = classification.subject();
    if (cluster.namespace_labels != nullptr && policy.selects_namespaces()) {
      input.subject.namespace_labels = cluster.namespace_labels->of(classification.environment);
    }
    input.requester = core::Requester{request.username, request.groups};
    input.at = at;
    input.exceptions = cluster.exceptions;
    std::shared_ptr<const core::Decision> decision =
        memo != nullptr ? memo->decide(policy, input)
                        : std::make_shared<const core::Decision>(core::decide(policy, input));
    const bool denied = !decision->allowed;
    if (!result.decision || denied) {
      result.action = action;
      result.decision = std::move(decision);
    }
    if (denied) {
      break;
    }
  }
}

// What the requester is told of a governed request, from the windows'
// decision and the images' verdict together: both are evaluated, so a deploy
// the windows allow is still denied by its images, and a denial names both.
void tell(const core::Policy& policy, const core::ImageVerdict* images, core::Instant at,
          const RequestSubject& window_subject, const RequestSubject& image_subject, AdmissionDecision& result) {
  const core::Decision& windows = *result.decision;
  const core::ImageVerdict* governing = images != nullptr && images->governed ? images : nullptr;
  const core::ImageVerdict* denying = governing != nullptr && !governing->allowed() ? governing : nullptr;
  result.denied_by_images = denying != nullptr;
  result.allowed = windows.allowed && denying == nullptr;
  if (windows.allowed && denying != nullptr) {
    // What the windows say of an allowed request (exempt, a block soon) does
    // not apply to one its images deny.
    result.message = explain_image_denial(*denying, image_subject);
    result.audit_annotations = {{AuditKey::Action, std::string(image_subject.what)}, {AuditKey::Decision, "denied"}};
  } else {
    result.message = explain(policy, windows, window_subject);
    if (denying != nullptr) {
      result.message += ' ';
      result.message += explain_image_reasons(*denying, image_subject);
    }
    result.warnings = warnings_for(policy, windows, *result.action, at);
    result.audit_annotations = audit_annotations_for(policy, windows, *result.action);
  }
  if (governing != nullptr) {
    add_image_annotations(*governing, result.audit_annotations);
  }
}

}  // namespace

std::string_view action_label(const AdmissionDecision& decision) {
  if (decision.action) {
    return core::action_name(*decision.action);
  }
  return decision.request_write ? request_write_name(*decision.request_write) : "none";
}

AdmissionDecision evaluate_request(const core::Policy& policy, const AdmissionRequest& request, core::Instant at,
                                   core::DecisionMemo* memo, const ClusterFacts& cluster) {
  if (is_approvable_object_write(request)) {
    return review_object_write(policy, request, at, cluster.windowguard_user, cluster.promotion_source);
  }
  AdmissionDecision result;
  result.classification = classify(request, policy.settings(), cluster.evicted_pod_labels);
  const Classification& classification = result.classification;
  if (classification.actions.empty()) {
    result.message = explain_not_governed({operation_name(request.operation), classification, request.name});
    result.audit_annotations.set(AuditKey::Decision, "not-governed");
    return result;
  }
  decide_windows(policy, request, at, memo, cluster, result);
  const std::shared_ptr<const core::ImageVerdict> images =
      check_deployed_images(policy, request, classification, at, memo, cluster);
  tell(policy, images.get(), at, {core::action_name(*result.action), classification, request.name},
       {core::action_name(core::Action::Deploy), classification, request.name}, result);
  return result;
}

}  // namespace windowguard::admission
