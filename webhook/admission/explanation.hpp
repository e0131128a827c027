#pragma once
// What people read: the denial paragraph, the reason for an allowance,
// warnings and audit annotations (SPEC section 6).
#include <string>
#include <utility>
#include <vector>

#include "admission/classifier.hpp"
#include "core/decision.hpp"

namespace windowguard::admission {

// "Deployment team-a/api"; "Namespace team-a"
std::string object_reference(const Classification& classification, std::string_view name);

std::string explain(const core::Policy& policy, const core::Decision& decision, const std::string& request);

std::vector<std::string> warnings_for(const core::Policy& policy, const core::Decision& decision, core::Action action,
                                      core::Instant at);

std::vector<std::pair<std::string, std::string>> audit_annotations_for(const core::Policy& policy,
                                                                       const core::Decision& decision,
                                                                       core::Action action);

}  // namespace windowguard::admission
