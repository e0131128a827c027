#pragma once
// The JSON shape of one decision, as `windowguard check --output json`
// prints it, a line per object.
#include <string>

#include "admission/admission_decision.hpp"
#include "core/policy.hpp"

namespace windowguard::report {

// {allowed, action, operation, kind, name, environment, application, dryRun,
// reason, message, windows: [{name, type, active, exempt, start, end}],
// blockedUntil, warnings}.
std::string decision_json(const core::Policy& policy, const admission::AdmissionDecision& outcome,
                          const admission::AdmissionRequest& request);

}  // namespace windowguard::report
