#include "admission/admission_decision.hpp"

#include "admission/exception_admission.hpp"
#include "admission/explanation.hpp"

namespace windowguard::admission {

AdmissionDecision evaluate_request(const core::Policy& policy, const AdmissionRequest& request, core::Instant at,
                                   core::DecisionMemo* memo, const ClusterFacts& cluster) {
  if (is_exception_write(request)) {
    return review_exception_write(policy, request, at, cluster.windowguard_user);
  }
  AdmissionDecision result;
  result.classification = classify(request, policy.settings(), cluster.evicted_pod);
  const Classification& classification = result.classification;
  if (classification.actions.empty()) {
    result.message = explain_not_governed({operation_name(request.operation), classification, request.name});
    result.audit_annotations.emplace_back("decision", "not-governed");
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
  return result;
}

}  // namespace windowguard::admission
