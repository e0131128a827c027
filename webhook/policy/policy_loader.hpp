#pragma once
// YAML policy texts -> the compiled core::Policy, or every problem found, each
// at its file:line:column.  A set of files with any problem yields no policy.
#include <string>
#include <vector>

#include "core/result.hpp"
#include "policy/policy_compiler.hpp"

namespace windowguard::policy {

struct PolicySource {
  std::string file;  // the name used in problem locations
  std::string text;
};

// Loads the given texts as one policy (all documents of all files merged);
// iCalendar files among them (*.ics) are the calendars its windows name.
Result<LoadedPolicy, Problems> load_policy(const std::vector<PolicySource>& sources);

}  // namespace windowguard::policy
