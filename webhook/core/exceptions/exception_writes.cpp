#include "core/exceptions/exception_writes.hpp"

#include <algorithm>

#include "core/exceptions/exception_standing.hpp"
#include "core/join.hpp"
#include "core/people.hpp"
#include "core/schedule/time_text.hpp"
#include "core/suggestion.hpp"

namespace windowguard::core {
namespace {

constexpr std::size_t kShortestReason = 10;
constexpr std::size_t kLongestReason = 1024;

std::string duration_text(seconds duration) {
  const auto whole_hours = std::chrono::duration_cast<hours>(duration);
  const auto rest = std::chrono::duration_cast<minutes>(duration - whole_hours);
  std::string text = std::to_string(whole_hours.count()) + "h";
  if (rest.count() != 0) {
    text += std::to_string(rest.count()) + "m";
  }
  return text;
}

// The rules of the exception's windows, or why one of them has none.
struct WindowRules {
  std::vector<std::pair<const Window*, const ExceptionRule*>> rules;
  std::optional<std::string> problem;
};

WindowRules rules_of(const Policy& policy, const WindowException& exception) {
  WindowRules found;
  if (exception.scope.windows.empty()) {
    found.problem = "spec.windows must name at least one window";
  }
  for (const std::string& name : exception.scope.windows) {
    const std::optional<std::size_t> index = policy.window_named(name);
    if (!index) {
      std::vector<std::string_view> known;
      for (const Window& window : policy.windows()) {
        known.push_back(window.name);
      }
      found.problem = "window " + in_quotes(name) + " is not in the policy" + suggestion(name, known);
      return found;
    }
    const Window& window = policy.windows()[*index];
    if (!window.exceptions) {
      found.problem = "window " + in_quotes(name) + " does not allow exceptions";
      return found;
    }
    found.rules.emplace_back(&window, &*window.exceptions);
  }
  return found;
}

std::optional<std::string> refuse_create(const Policy& policy, const ExceptionWrite& write) {
  const WindowException& exception = *write.object;
  if (exception.requested_by != write.username) {
    return "spec.requestedBy " + in_quotes(exception.requested_by) + " must be you (" + in_quotes(write.username) +
           "): an exception is requested by the person who creates it";
  }
  if (exception.reason.size() < kShortestReason || exception.reason.size() > kLongestReason) {
    return "spec.reason must be 10 to 1024 characters: say why, for whoever approves and audits it";
  }
  if (!exception.approvals.empty()) {
    return "a new exception must have no approvals: approvers add theirs to its status";
  }
  const WindowRules found = rules_of(policy, exception);
  if (found.problem) {
    return *found.problem;
  }
  const std::vector<std::string> groups(write.groups.begin(), write.groups.end());
  for (const auto& [window, rule] : found.rules) {
    if (rule->requesters && !is_among(policy, *rule->requesters, write.username, groups)) {
      return "you (" + in_quotes(write.username) + ") may not request exceptions to window " + in_quotes(window->name) +
             "; its requesters are " + describe_people(policy, *rule->requesters);
    }
  }
  if (exception.scope.until <= write.now) {
    return "spec.until " + format_utc(exception.scope.until) + " is not in the future";
  }
  if (exception.scope.until <= exception.scope.from) {
    return "spec.until must be after spec.from";
  }
  for (const auto& [window, rule] : found.rules) {
    if (exception.scope.until - exception.scope.from > rule->max_duration) {
      return "spec.until - spec.from is " + duration_text(exception.scope.until - exception.scope.from) +
             ", longer than window " + in_quotes(window->name) + " allows (maxDuration " +
             duration_text(rule->max_duration) + ")";
    }
  }
  return std::nullopt;
}

std::optional<std::string> refuse_approver(const Policy& policy, const ExceptionWrite& write,
                                           const Approval& approval) {
  const WindowException& exception = *write.object;
  const WindowRules found = rules_of(policy, exception);
  if (found.problem) {
    return *found.problem;
  }
  for (const auto& [window, rule] : found.rules) {
    if (approval.user == exception.requested_by && !rule->allow_requester_to_approve) {
      return "you requested this exception: window " + in_quotes(window->name) + " needs the approval of someone else";
    }
    if (!may_approve(policy, *rule, approval.user, approval.groups, exception.requested_by)) {
      return "you (" + in_quotes(write.username) + ") may not approve exceptions to window " + in_quotes(window->name) +
             "; its approvers are " + describe_people(policy, rule->approvers);
    }
  }
  return std::nullopt;
}

// Who a broad group covers; nullopt for an ordinary group.
std::optional<std::string> whom_group_covers(std::string_view group) {
  constexpr std::string_view kNamespaceAccounts = "system:serviceaccounts:";
  if (group == "system:authenticated") {
    return "every signed-in user";
  }
  if (group == "system:serviceaccounts") {
    return "every service account";
  }
  if (group == "system:unauthenticated") {
    return "every anonymous request";
  }
  if (group.starts_with(kNamespaceAccounts)) {
    return "every service account of namespace " + std::string(group.substr(kNamespaceAccounts.size()));
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> broad_people(const ExceptionScope& scope) {
  std::vector<std::string> broad;
  for (const std::string& user : scope.users) {
    if (user == "*" || user == "system:anonymous") {
      broad.push_back("user " + in_quotes(user) + (user == "*" ? " (read as everyone)" : " (every anonymous request)"));
    }
  }
  for (const std::string& group : scope.groups) {
    if (group == "*") {
      broad.push_back("group \"*\" (read as everyone)");
    } else if (const auto whom = whom_group_covers(group)) {
      broad.push_back("group " + in_quotes(group) + " (" + *whom + ")");
    }
  }
  return broad;
}

std::optional<std::string> broad_request_warning(const ExceptionScope& scope) {
  const std::vector<std::string> broad = broad_people(scope);
  if (broad.empty()) {
    return std::nullopt;
  }
  return "this request covers many people: " + join(broad) +
         "; once approved it lifts its windows for all of them. Approvers see its scope in `kubectl get wex -o wide` "
         "and `windowguard requests -o wide`";
}

std::optional<std::string> refuse_exception_write(const Policy& policy, const ExceptionWrite& write) {
  return refuse_approvable_write(
      policy, write, "exception", [&] { return refuse_create(policy, write); },
      [&](const Approval& approval) { return refuse_approver(policy, write, approval); },
      [&](const WindowException& exception, std::string_view user, std::span<const std::string> groups) {
        const WindowRules found = rules_of(policy, exception);
        return std::any_of(found.rules.begin(), found.rules.end(),
                           [&](const auto& rule) { return is_among(policy, rule.second->approvers, user, groups); });
      });
}

}  // namespace windowguard::core
