#include "core/policy_warnings.hpp"

#include <algorithm>

#include "core/images/image_check.hpp"
#include "core/schedule/time_text.hpp"

namespace windowguard::core {
namespace {

// Lint runs offline: it may follow a chain through every window change to the
// horizon (two a day for ten years), where a decision stops at its budget.
constexpr std::size_t kMostStatesFollowed = 20000;
// How many of a maintenance window's openings are checked for a blackout.
constexpr int kMostOpeningsChecked = 400;

std::string named(const Window& window) {
  return std::string(window_type_name(window.type)) + " window \"" + window.name + "\"";
}

// The first instant from `t` at which the schedule is active, within the horizon.
std::optional<ScheduleState> first_active_from(const Schedule& schedule, Instant& t, Instant horizon_end) {
  EvaluationCost cost;
  for (std::size_t states = 0; t < horizon_end && states < kMostStatesFollowed; ++states) {
    ScheduleState state = schedule.state_at(t, cost);
    if (state.occurrence) {
      return state;
    }
    if (state.activity_holds_until == Instant::max()) {
      return std::nullopt;
    }
    t = state.activity_holds_until;
  }
  return std::nullopt;
}

// Whether blackouts among `blackouts` are active, one after another, from `from` until `until`.
bool covered(const Policy& policy, const std::vector<std::size_t>& blackouts, Instant from, Instant until) {
  EvaluationCost cost;
  for (std::size_t states = 0; from < until && states < kMostStatesFollowed; ++states) {
    Instant reach = from;
    for (std::size_t index : blackouts) {
      const ScheduleState state = policy.windows()[index].schedule.state_at(from, cost);
      if (state.occurrence) {
        reach = std::max(reach, state.occurrence->to);
      }
    }
    if (reach == from) {
      return false;
    }
    from = reach;
  }
  return from >= until;
}

bool always_covered(const Policy& policy, const Window& maintenance, const std::vector<std::size_t>& blackouts,
                    Instant now, Instant horizon_end) {
  if (blackouts.empty()) {
    return false;
  }
  Instant t = now;
  int openings = 0;
  for (; openings < kMostOpeningsChecked; ++openings) {
    const std::optional<ScheduleState> open = first_active_from(maintenance.schedule, t, horizon_end);
    if (!open) {
      break;
    }
    if (!covered(policy, blackouts, t, open->occurrence->to)) {
      return false;
    }
    t = open->occurrence->to;
  }
  return openings > 0;
}

// A rule that names only users, fewer of them than it requires, can never
// be met: group members and super admins are the only approvers it has
// beyond them.
std::vector<PolicyWarning> unreachable_approvals(const Policy& policy) {
  std::vector<PolicyWarning> warnings;
  const std::vector<ApprovalRule>& rules = policy.image_rules().approvals;
  for (std::size_t index = 0; index < rules.size(); ++index) {
    const ApprovalRule& rule = rules[index];
    if (rule.approvers.super_admins || !rule.approvers.groups.empty()) {
      continue;
    }
    std::vector<std::string> users = rule.approvers.users;
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    if (static_cast<int>(users.size()) < rule.required) {
      warnings.push_back({std::nullopt,
                          "approvals rule \"" + rule.name + "\" requires " + std::to_string(rule.required) +
                              " approvals but its approvers are " + std::to_string(users.size()) +
                              (users.size() == 1 ? " user" : " users") +
                              " and no groups: no image can ever be approved under it",
                          index});
    }
  }
  return warnings;
}

// An old list that spelt the defaults out, from when trustedRequesters
// replaced them: harmless, but it reads as if the policy could drop them.
std::optional<PolicyWarning> restated_trusted_requesters(const Settings& settings) {
  const std::vector<std::string>& builtin = Settings::builtin_trusted_requesters();
  std::string restated;
  for (const std::string& name : settings.trusted_requesters) {
    if (std::find(builtin.begin(), builtin.end(), name) != builtin.end()) {
      restated += restated.empty() ? "" : ", ";
      restated += name;
    }
  }
  if (restated.empty()) {
    return std::nullopt;
  }
  return PolicyWarning{std::nullopt, "settings.trustedRequesters restates requesters that are always trusted (" +
                                         restated +
                                         "): Kubernetes' own controllers are a built-in base that no policy can drop; "
                                         "list only the requesters to add"};
}

}  // namespace

std::vector<PolicyWarning> find_policy_warnings(const Policy& policy, Instant now) {
  std::vector<PolicyWarning> warnings = unreachable_approvals(policy);
  if (auto restated = restated_trusted_requesters(policy.settings())) {
    warnings.push_back(std::move(*restated));
  }
  if (policy.windows().empty()) {
    if (!governs_images(policy)) {
      warnings.push_back({std::nullopt, "the policy has no window: it blocks nothing"});
    }
    return warnings;
  }
  const Instant horizon_end = now + Schedule::kSearchHorizon;
  const std::string horizon = std::to_string(Schedule::kSearchHorizon.count()) + " days";
  for (std::size_t index = 0; index < policy.windows().size(); ++index) {
    const Window& window = policy.windows()[index];
    std::vector<std::size_t> blackouts_beside;
    bool bound = false;
    for (const Binding& binding : policy.bindings()) {
      if (std::find(binding.windows.begin(), binding.windows.end(), index) == binding.windows.end()) {
        continue;
      }
      bound = true;
      for (std::size_t other : binding.windows) {
        if (policy.windows()[other].type == WindowType::Blackout) {
          blackouts_beside.push_back(other);
        }
      }
    }
    if (!bound) {
      warnings.push_back({index, named(window) + " is bound nowhere: no binding names it, so it applies to nothing"});
    }
    EvaluationCost cost;
    const ScheduleState state = window.schedule.state_at(now, cost);
    if (!state.valid && state.holds_until == Instant::max()) {
      warnings.push_back({index, named(window) + "'s validity has ended: it no longer applies"});
      continue;
    }
    Instant start = now;
    const std::optional<ScheduleState> active = first_active_from(window.schedule, start, horizon_end);
    if (!active) {
      warnings.push_back({index, named(window) + " never occurs again within the next " + horizon});
      continue;
    }
    if (window.type == WindowType::Blackout && active->occurrence->to < horizon_end &&
        !window.schedule.next_change_after(start, horizon_end, kMostStatesFollowed)) {
      warnings.push_back({index, named(window) + " never ends: its occurrences chain without a gap from " +
                                     format_utc(start) + " on, for the next " + horizon});
    }
    if (window.type == WindowType::Maintenance && always_covered(policy, window, blackouts_beside, now, horizon_end)) {
      warnings.push_back({index, named(window) +
                                     " is always covered by a blackout window bound with it: it never opens for anyone "
                                     "who is not exempt"});
    }
  }
  return warnings;
}

}  // namespace windowguard::core
