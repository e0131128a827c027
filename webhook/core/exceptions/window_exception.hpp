#pragma once
// Exceptions to windows (docs/exceptions.md): the rules a window sets for
// lifting it, the static entries of a policy, and the WindowException objects
// people file in the cluster, with when each of them is in force.  Pure data
// and pure functions: the cluster adapter hands the objects in as values.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/action.hpp"
#include "core/namespaced_book.hpp"
#include "core/people.hpp"
#include "core/schedule/time.hpp"

namespace windowguard::core {

inline constexpr int kMostRequiredApprovals = 6;
inline constexpr seconds kDefaultExceptionDuration = hours{4};
inline constexpr seconds kLongestExceptionDuration = hours{168};

// A window's `exceptions:` block.  A window without one cannot be lifted by
// a WindowException.
struct ExceptionRule {
  int approvals = 1;
  // Who may approve: named users, members of named groups, and (with
  // super_admins) members of settings.superAdminGroups.
  People approvers{true, {}, {}};
  seconds max_duration = kDefaultExceptionDuration;
  bool allow_requester_to_approve = false;
  // Who may request one, whatever RBAC allows; absent: anyone who may create
  // a WindowException in the namespace.
  std::optional<People> requesters;
};

// What an exception lifts, for whom and when; the same for a policy's static
// entries and for WindowException objects.
struct ExceptionScope {
  std::vector<std::string> windows;       // by name
  std::vector<std::string> applications;  // exact names; empty means every application
  ActionSet actions = ActionSet::all();
  std::vector<std::string> users;  // who may act under it
  std::vector<std::string> groups;
  Instant from;
  Instant until;
};

// A policy's `exceptions:` entry: reviewed in git, so in force from..until
// without approvals.
struct StaticException {
  std::string name;
  std::string reason;
  std::vector<std::string> environments;  // globs, as a binding's
  ExceptionScope scope;
};

struct Approval {
  std::string user;
  Instant at;
  // The approver's groups that were checked against the request's userInfo
  // when the approval was written: what lets group and super-admin approvers
  // be counted later, when only the object is at hand.
  std::vector<std::string> groups;
};

// A WindowException object, as read from the cluster.
struct WindowException {
  std::string namespace_name;
  std::string name;
  std::string requested_by;
  std::string reason;
  ExceptionScope scope;  // users defaults to [requested_by] when the object lists neither users nor groups
  std::vector<Approval> approvals;
};

// Every WindowException of the cluster at one moment; the decision memo
// starts afresh with each book.
using ExceptionBook = NamespacedBook<WindowException>;

}  // namespace windowguard::core
