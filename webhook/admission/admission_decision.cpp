#include "admission/admission_decision.hpp"

#include "admission/explanation.hpp"

namespace windowguard::admission {

AdmissionDecision evaluate_request(const core::Policy& policy, const AdmissionRequest& request, core::Instant at,
                                   core::DecisionMemo* memo) {
  AdmissionDecision result;
  result.classification = classify(request, policy.settings());
  const Classification& classification = result.classification;
  if (classification.actions.empty()) {
    result.message = std::string(operation_name(request.operation)) + " of " +
                     object_reference(classification, request.name) + " is not governed: " + classification.reason +
                     ".";
    result.audit_annotations.emplace_back("decision", "not-governed");
    return result;
  }
  for (core::Action action : classification.actions) {
    core::DecisionInput input;
    input.action = action;
    input.subject = classification.subject();
    input.requester = core::Requester{request.username, request.groups};
    input.at = at;
    core::Decision decision = memo != nullptr ? memo->decide(policy, input) : core::decide(policy, input);
    const bool denied = !decision.allowed;
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
  result.message =
      explain(policy, decision,
              std::string(core::action_name(*result.action)) + " of " + object_reference(classification, request.name));
  result.warnings = warnings_for(policy, decision, *result.action, at);
  result.audit_annotations = audit_annotations_for(policy, decision, *result.action);
  return result;
}

}  // namespace windowguard::admission
