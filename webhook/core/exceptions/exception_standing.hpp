#pragma once
// When an exception is in force, and what it lifts for a request
// (docs/exceptions.md, "When an exception is in force").  Approvals are
// counted against the policy in force now, so that a policy change that drops
// an approver drops their approvals' weight.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/action.hpp"
#include "core/exceptions/window_exception.hpp"
#include "core/policy.hpp"

namespace windowguard::core {

enum class ExceptionState {
  Pending,    // fewer approvals than its windows require
  Scheduled,  // approved, before its `from`
  InForce,    // approved, from <= now < until
  Expired,    // now >= until
  Unusable,   // a window it names is gone, or no longer allows exceptions
};
std::string_view exception_state_name(ExceptionState state);

struct ExceptionStanding {
  ExceptionState state = ExceptionState::Pending;
  int approvals = 0;                   // approvals that count
  int required = 0;                    // the largest `approvals` of its windows' rules
  std::vector<std::string> approvers;  // whose approvals count, in the object's order
  std::vector<std::size_t> windows;    // indices of its windows (Unusable: the usable ones)
  std::string problem;                 // Unusable: which window, and why
  std::string eligible;                // who may approve it, in words (status.approvers)
};

ExceptionStanding standing_of(const Policy& policy, const WindowException& exception, Instant now);

// A policy's own exception needs no approval: scheduled, in force or expired.
ExceptionState state_of(const StaticException& entry, Instant now);

// Whether the rule lets this person approve a request of `requested_by`:
// named, or a member of a named group or (with superAdmins) of a super-admin
// group, and not the requester unless the rule allows it.
bool may_approve(const Policy& policy, const ExceptionRule& rule, std::string_view user,
                 std::span<const std::string> groups, std::string_view requested_by);

// An exception in force that applies to a request: its requester is exempt
// from `windows` until `until`.
struct ExceptionGrant {
  std::string label;  // "namespace/name" for an object, the entry's name for a static one
  std::string reason;
  std::vector<std::string> approvers;  // empty for a static entry
  std::vector<std::size_t> windows;    // ascending
  Instant until;
  bool from_policy = false;
};

struct ExceptionRequest {
  Action action = Action::Deploy;
  std::string_view environment;
  std::string_view application;
  bool whole_environment = false;  // a Namespace DELETE, an eviction: only exceptions for every application apply
  std::string_view username;
  std::span<const std::string_view> groups;
  Instant at;
};

struct ExceptionGrants {
  std::vector<ExceptionGrant> in_force;
  // The first instant after the request's at which an exception that
  // applies to it starts or ends: decisions must not be remembered past it.
  Instant changes_at = Instant::max();
};

// The static entries and the book's objects that apply to the request, with
// their windows; `book` may be null (no cluster access).
ExceptionGrants grants_for(const Policy& policy, const ExceptionBook* book, const ExceptionRequest& request);

}  // namespace windowguard::core
