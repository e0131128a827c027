#include "core/exceptions/exception_standing.hpp"

#include <algorithm>

#include "core/binding_index.hpp"
#include "core/glob.hpp"

namespace windowguard::core {
namespace {

bool contains(std::span<const std::string> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Whether the exception's scope covers the request: its action, its
// application and its requester.
bool covers(const ExceptionScope& scope, const ExceptionRequest& request) {
  if (!scope.actions.contains(request.action)) {
    return false;
  }
  if (!scope.applications.empty() &&
      (request.whole_environment || !contains(scope.applications, request.application))) {
    return false;
  }
  return contains(scope.users, request.username) ||
         std::any_of(request.groups.begin(), request.groups.end(),
                     [&](std::string_view group) { return contains(scope.groups, group); });
}

// Takes the exception when it is in force at the request's instant, and
// moves changes_at to where it starts or ends.
void consider(ExceptionGrants& grants, Instant at, const ExceptionScope& scope, ExceptionGrant grant) {
  if (at >= scope.until) {
    return;
  }
  if (at < scope.from) {
    grants.changes_at = std::min(grants.changes_at, scope.from);
    return;
  }
  grants.changes_at = std::min(grants.changes_at, scope.until);
  grant.until = scope.until;
  grants.in_force.push_back(std::move(grant));
}

}  // namespace

std::string_view exception_state_name(ExceptionState state) {
  switch (state) {
    case ExceptionState::Pending:
      return "pending";
    case ExceptionState::Scheduled:
      return "scheduled";
    case ExceptionState::InForce:
      return "in force";
    case ExceptionState::Expired:
      return "expired";
    case ExceptionState::Unusable:
      return "unusable";
  }
  return "unusable";
}

bool may_approve(const Policy& policy, const ExceptionRule& rule, std::string_view user,
                 std::span<const std::string> groups, std::string_view requested_by) {
  if (user == requested_by && !rule.allow_requester_to_approve) {
    return false;
  }
  return is_among(policy, rule.approvers, user, groups);
}

namespace {

// Who may approve under every rule: one description when the rules agree,
// else each window's.
std::string eligible_approvers(const Policy& policy, const std::vector<std::size_t>& windows) {
  std::vector<std::string> described;
  described.reserve(windows.size());
  for (const std::size_t window : windows) {
    described.push_back(describe_people(policy, policy.windows()[window].exceptions->approvers));
  }
  if (std::all_of(described.begin(), described.end(), [&](const std::string& each) { return each == described[0]; })) {
    return described.empty() ? "nobody" : described[0];
  }
  std::string text;
  for (std::size_t i = 0; i < described.size(); ++i) {
    text += (text.empty() ? "" : "; ") + policy.windows()[windows[i]].name + ": " + described[i];
  }
  return text + " (an approval counts when it is by one of each)";
}

}  // namespace

ExceptionStanding standing_of(const Policy& policy, const WindowException& exception, Instant now) {
  ExceptionStanding standing;
  std::vector<const ExceptionRule*> rules;
  for (const std::string& name : exception.scope.windows) {
    const std::optional<std::size_t> index = policy.window_named(name);
    if (!index) {
      standing.problem = "window \"" + name + "\" is not in the policy";
      continue;
    }
    const Window& window = policy.windows()[*index];
    if (!window.exceptions) {
      standing.problem = "window \"" + name + "\" does not allow exceptions";
      continue;
    }
    standing.windows.push_back(*index);
    rules.push_back(&*window.exceptions);
    standing.required = std::max(standing.required, window.exceptions->approvals);
  }
  std::sort(standing.windows.begin(), standing.windows.end());
  standing.windows.erase(std::unique(standing.windows.begin(), standing.windows.end()), standing.windows.end());
  for (const Approval& approval : exception.approvals) {
    const bool counts = std::all_of(rules.begin(), rules.end(), [&](const ExceptionRule* rule) {
      return may_approve(policy, *rule, approval.user, approval.groups, exception.requested_by);
    });
    if (counts && !contains(standing.approvers, approval.user)) {
      standing.approvers.push_back(approval.user);
    }
  }
  standing.approvals = static_cast<int>(standing.approvers.size());
  standing.eligible = eligible_approvers(policy, standing.windows);
  if (!standing.problem.empty()) {
    standing.state = ExceptionState::Unusable;
  } else if (now >= exception.scope.until) {
    standing.state = ExceptionState::Expired;
  } else if (standing.approvals < standing.required) {
    standing.state = ExceptionState::Pending;
  } else {
    standing.state = now < exception.scope.from ? ExceptionState::Scheduled : ExceptionState::InForce;
  }
  return standing;
}

ExceptionState state_of(const StaticException& entry, Instant now) {
  return now >= entry.scope.until ? ExceptionState::Expired
         : now < entry.scope.from ? ExceptionState::Scheduled
                                  : ExceptionState::InForce;
}

ExceptionGrants grants_for(const Policy& policy, const ExceptionBook* book, const ExceptionRequest& request) {
  ExceptionGrants grants;
  for (const StaticException& entry : policy.static_exceptions()) {
    const bool in_environment =
        names_environment(entry.environments, request.environment, policy.settings().cluster_name);
    if (!in_environment || !covers(entry.scope, request)) {
      continue;
    }
    ExceptionGrant grant{entry.name, entry.reason, {}, {}, {}, true};
    for (const std::string& name : entry.scope.windows) {
      if (const std::optional<std::size_t> window = policy.window_named(name)) {
        grant.windows.push_back(*window);
      }
    }
    std::sort(grant.windows.begin(), grant.windows.end());
    consider(grants, request.at, entry.scope, std::move(grant));
  }
  if (book == nullptr) {
    return grants;
  }
  for (const WindowException& exception : book->in_namespace(request.environment)) {
    if (request.at >= exception.scope.until || !covers(exception.scope, request)) {
      continue;
    }
    ExceptionStanding standing = standing_of(policy, exception, request.at);
    if (standing.state != ExceptionState::InForce && standing.state != ExceptionState::Scheduled) {
      continue;
    }
    consider(grants, request.at, exception.scope,
             ExceptionGrant{exception.namespace_name + "/" + exception.name,
                            exception.reason,
                            std::move(standing.approvers),
                            std::move(standing.windows),
                            {},
                            false});
  }
  return grants;
}

}  // namespace windowguard::core
