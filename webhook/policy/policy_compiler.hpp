#pragma once
// The compile step: names resolved across every file (unique window names,
// bindings to known windows), then the immutable, indexed core::Policy.
#include <memory>
#include <vector>

#include "core/policy.hpp"
#include "core/result.hpp"
#include "policy/policy_documents.hpp"

namespace windowguard::policy {

struct LoadedPolicy {
  std::shared_ptr<const core::Policy> policy;
  // Where each of the policy's windows is defined (its name), by index, for
  // messages about a window.
  std::vector<Location> window_locations;
  std::vector<Location> approval_rule_locations;  // by approvals rule, for lint's warnings
  // How the files are written, for lint: a message a comment cuts short.
  Problems text_warnings;
  std::size_t calendar_files = 0;  // the iCalendar files read beside the YAML, for lint's summary
};

// `problems` are those the readers found: with any, or any the compile step
// finds, there is no policy.
Result<LoadedPolicy, Problems> compile_policy(const PolicyDocuments& documents, Problems problems);

}  // namespace windowguard::policy
