#pragma once
// The bound on a decision's work that the engine promises: its walks read at
// most kMostWindowChanges states beyond the governing windows' first, and
// each read generates at most what its schedule allows
// (Schedule::most_expansions_per_state).
#include <algorithm>
#include <string>

#include "core/decision.hpp"

namespace windowguard::testing {

struct DecisionBound {
  std::size_t most_window_changes = 0;
  std::size_t most_expansions = 0;

  bool holds_for(const core::Decision& decision) const {
    return decision.cost.window_changes <= most_window_changes && decision.cost.expansions <= most_expansions;
  }
};

inline DecisionBound bound_for(const core::Policy& policy, const core::DecisionInput& input,
                               const core::Decision& decision) {
  const std::vector<std::size_t> governing = policy.windows_for(input.subject);
  std::size_t most_per_state = 0;
  for (std::size_t index : governing) {
    most_per_state = std::max(most_per_state, policy.windows()[index].schedule.most_expansions_per_state());
  }
  return {governing.size() + core::kMostWindowChanges, decision.cost.window_changes * most_per_state};
}

}  // namespace windowguard::testing
