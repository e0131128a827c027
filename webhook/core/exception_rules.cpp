#include "core/exception_rules.hpp"

#include <algorithm>

#include "core/exception_standing.hpp"
#include "core/time_text.hpp"

namespace windowguard::core {
namespace {

constexpr std::size_t kShortestReason = 10;
constexpr std::size_t kLongestReason = 1024;

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string duration_text(seconds duration) {
  const auto whole_hours = std::chrono::duration_cast<hours>(duration);
  const auto rest = std::chrono::duration_cast<minutes>(duration - whole_hours);
  std::string text = std::to_string(whole_hours.count()) + "h";
  if (rest.count() != 0) {
    text += std::to_string(rest.count()) + "m";
  }
  return text;
}

std::string people_text(const Policy& policy, const People& people) {
  std::string text;
  const auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (people.super_admins) {
    for (const std::string& group : policy.settings().super_admin_groups) {
      add("members of " + group);
    }
  }
  for (const std::string& user : people.users) {
    add(user);
  }
  for (const std::string& group : people.groups) {
    add("members of " + group);
  }
  return text.empty() ? "nobody" : text;
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
      found.problem = "window " + quoted(name) + " is not in the policy";
      return found;
    }
    const Window& window = policy.windows()[*index];
    if (!window.exceptions) {
      found.problem = "window " + quoted(name) + " does not allow exceptions";
      return found;
    }
    found.rules.emplace_back(&window, &*window.exceptions);
  }
  return found;
}

std::optional<std::string> refuse_create(const Policy& policy, const ExceptionWrite& write) {
  const WindowException& exception = *write.object;
  if (exception.requested_by != write.username) {
    return "spec.requestedBy " + quoted(exception.requested_by) + " must be you (" + quoted(write.username) +
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
  if (exception.scope.until <= write.now) {
    return "spec.until " + format_utc(exception.scope.until) + " is not in the future";
  }
  if (exception.scope.until <= exception.scope.from) {
    return "spec.until must be after spec.from";
  }
  for (const auto& [window, rule] : found.rules) {
    if (exception.scope.until - exception.scope.from > rule->max_duration) {
      return "spec.until - spec.from is " + duration_text(exception.scope.until - exception.scope.from) +
             ", longer than window " + quoted(window->name) + " allows (maxDuration " +
             duration_text(rule->max_duration) + ")";
    }
  }
  return std::nullopt;
}

bool same_approval(const Approval& a, const Approval& b) {
  return a.user == b.user && a.at == b.at && a.groups == b.groups;
}

// The one approval in `longer` that `shorter` lacks, if the two lists differ
// by exactly that.
const Approval* the_one_more(const std::vector<Approval>& longer, const std::vector<Approval>& shorter) {
  if (longer.size() != shorter.size() + 1) {
    return nullptr;
  }
  std::size_t i = 0;
  while (i < shorter.size() && same_approval(longer[i], shorter[i])) {
    ++i;
  }
  if (!std::equal(shorter.begin() + static_cast<std::ptrdiff_t>(i), shorter.end(),
                  longer.begin() + static_cast<std::ptrdiff_t>(i) + 1, same_approval)) {
    return nullptr;
  }
  return &longer[i];
}

std::optional<std::string> refuse_approval(const Policy& policy, const ExceptionWrite& write,
                                           const Approval& approval) {
  const WindowException& exception = *write.object;
  const auto& others = write.old_object->approvals;
  if (std::any_of(others.begin(), others.end(), [&](const Approval& other) { return other.user == approval.user; })) {
    return "you (" + quoted(write.username) + ") have approved this exception already";
  }
  const seconds skew = approval.at > write.now ? approval.at - write.now : write.now - approval.at;
  if (skew > kApprovalClockSkew) {
    return "the approval's at " + format_utc(approval.at) + " is more than 5 minutes from now (" +
           format_utc(write.now) + "): an approval is given now";
  }
  for (const std::string& group : approval.groups) {
    if (std::find(write.groups.begin(), write.groups.end(), group) == write.groups.end()) {
      return "the approval names group " + quoted(group) + ", which you (" + quoted(write.username) +
             ") are not a member of";
    }
  }
  const WindowRules found = rules_of(policy, exception);
  if (found.problem) {
    return *found.problem;
  }
  for (const auto& [window, rule] : found.rules) {
    if (approval.user == exception.requested_by && !rule->allow_requester_to_approve) {
      return "you requested this exception: window " + quoted(window->name) + " needs the approval of someone else";
    }
    if (!may_approve(policy, *rule, approval.user, approval.groups, exception.requested_by)) {
      return "you (" + quoted(write.username) + ") may not approve exceptions to window " + quoted(window->name) +
             "; its approvers are " + people_text(policy, rule->approvers);
    }
  }
  return std::nullopt;
}

std::optional<std::string> refuse_status_update(const Policy& policy, const ExceptionWrite& write) {
  const std::vector<Approval>& before = write.old_object->approvals;
  const std::vector<Approval>& after = write.object->approvals;
  if (write.by_windowguard) {
    const bool same = std::equal(before.begin(), before.end(), after.begin(), after.end(), same_approval);
    return same ? std::nullopt
                : std::optional<std::string>("windowguard keeps the approved and state fields; it never approves");
  }
  if (const Approval* added = the_one_more(after, before)) {
    if (added->user != write.username) {
      return "the approval is for " + quoted(added->user) + ", but you are " + quoted(write.username) +
             ": only your own approval may be added";
    }
    return refuse_approval(policy, write, *added);
  }
  if (const Approval* removed = the_one_more(before, after)) {
    if (removed->user != write.username) {
      return "the approval removed is " + quoted(removed->user) + "'s, but you are " + quoted(write.username) +
             ": only your own approval may be withdrawn";
    }
    return std::nullopt;
  }
  return "a status update must add or remove exactly one approval, your own";
}

}  // namespace

std::optional<std::string> refuse_exception_write(const Policy& policy, const ExceptionWrite& write) {
  switch (write.kind) {
    case ExceptionWrite::Kind::Create:
      return refuse_create(policy, write);
    case ExceptionWrite::Kind::Update:
    case ExceptionWrite::Kind::UpdateStatus:
      if (write.spec_changed) {
        return "the spec of an exception cannot change: cancel it and request a new one";
      }
      if (write.kind == ExceptionWrite::Kind::Update) {
        return std::nullopt;  // metadata; the status is its subresource's
      }
      return refuse_status_update(policy, write);
    case ExceptionWrite::Kind::Delete:
      return std::nullopt;  // cancelling is left to RBAC
  }
  return std::nullopt;
}

}  // namespace windowguard::core
