#include "admission/admission_decision.hpp"

#include <algorithm>

#include "admission/exception_admission.hpp"
#include "admission/explanation.hpp"
#include "admission/template_images.hpp"
#include "core/images/image_check.hpp"

namespace windowguard::admission {

namespace {

// Windows, approvals and image policies are all evaluated: a deploy the
// windows allow is still denied by its images, and a denial names both.
void add_image_verdict(const core::ImageVerdict& verdict, const RequestSubject& subject, AdmissionDecision& result) {
  if (!verdict.governed) {
    return;
  }
  if (!verdict.allowed()) {
    result.message = result.allowed ? explain_image_denial(verdict, subject)
                                    : result.message + ' ' + explain_image_reasons(verdict, subject);
    if (result.allowed) {
      // What the windows said of an allowed request (exempt, a block soon)
      // no longer applies to a denied one.
      result.audit_annotations = {{AuditKey::Action, std::string(subject.what)}, {AuditKey::Decision, "denied"}};
      result.warnings.clear();
    }
    result.allowed = false;
    result.denied_by_images = true;
  }
  add_image_annotations(verdict, result.audit_annotations);
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
  const core::Decision& decision = *result.decision;
  result.allowed = decision.allowed;
  result.message = explain(policy, decision, {core::action_name(*result.action), classification, request.name});
  result.warnings = warnings_for(policy, decision, *result.action, at);
  result.audit_annotations = audit_annotations_for(policy, decision, *result.action);
  const bool deploys = std::find(classification.actions.begin(), classification.actions.end(), core::Action::Deploy) !=
                       classification.actions.end();
  if (deploys && core::governs_images(policy)) {
    const TemplateImages images = template_images(classification);
    core::ImageCheckInput input;
    input.environment = classification.environment;
    input.application = classification.application;
    input.requester = core::Requester{request.username, request.groups};
    input.images = images.images;
    input.added = images.added;
    input.at = at;
    input.approvals = cluster.image_approvals;
    const std::shared_ptr<const core::ImageVerdict> verdict =
        memo != nullptr ? memo->image_verdicts().check(policy, input)
                        : std::make_shared<const core::ImageVerdict>(core::check_images(policy, input));
    add_image_verdict(*verdict, {core::action_name(core::Action::Deploy), classification, request.name}, result);
  }
  return result;
}

}  // namespace windowguard::admission
