#pragma once
// Policies that enforce nothing they seem to: what `windowguard lint` warns
// about.  Pure: the instant is the caller's.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/policy.hpp"

namespace windowguard::core {

struct PolicyWarning {
  std::optional<std::size_t> window;  // the window warned about
  std::string message;
  std::optional<std::size_t> approval_rule = std::nullopt;  // or the approvals rule; neither: the policy as a whole
};

// From `now`, looking Schedule::kSearchHorizon ahead: a policy with no window;
// a window bound nowhere; a window whose validity has ended or that never
// occurs again; a blackout whose occurrences chain without a gap, so that
// once active it never ends; a maintenance window that blackouts bound with it
// cover whenever it is open; an approvals rule whose approvers can never
// reach its `required`; a trustedRequesters list that restates the built-in
// base.
std::vector<PolicyWarning> find_policy_warnings(const Policy& policy, Instant now);

}  // namespace windowguard::core
