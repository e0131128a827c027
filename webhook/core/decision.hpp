#pragma once
// The decision of docs/policy.md "How a request is decided": one function,
// used by the webhook and by `windowguard check` alike.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/exceptions/exception_standing.hpp"
#include "core/policy.hpp"
#include "core/schedule/schedule_memo.hpp"

namespace windowguard::core {

struct Requester {
  std::string_view username;
  std::span<const std::string_view> groups;
};

struct DecisionInput {
  Action action = Action::Deploy;
  Subject subject;
  Requester requester;
  Instant at;
  // The cluster's WindowExceptions; null without cluster access.  The policy's
  // static exceptions apply either way.
  const ExceptionBook* exceptions = nullptr;
};

enum class Verdict {
  Trusted,             // allowed: the requester is never governed (docs/admission.md)
  Unrestricted,        // allowed: no applicable window blocks
  InsideMaintenance,   // allowed: an applicable maintenance window is active
  ExemptFromBlock,     // allowed: the requester is exempt from every window that blocks
  BlockedByBlackout,   // denied: an active blackout window
  OutsideMaintenance,  // denied: maintenance windows apply and none is active
};

struct WindowStatus {
  std::size_t window;  // index into Policy::windows()
  bool active;
  std::optional<Occurrence> occurrence;  // the current one, when active
  bool exempt;                           // the requester is exempt from this window
};

// How the search for the end of a block ended.
enum class BlockEnd {
  Found,          // Decision::blocked_until is set
  BeyondHorizon,  // no end within Schedule::kSearchHorizon
  BeyondBudget,   // no end found within kMostWindowChanges window changes
};

// A decision's walks through the windows' changes (to the end of a block, or
// through the warning's look-ahead) read at most this many window states
// beyond the ones at the decision's instant: a decision does bounded work
// whatever the policy.
inline constexpr std::size_t kMostWindowChanges = 1000;

struct UpcomingBlock {
  std::size_t window;
  Instant starts;
};

struct Decision {
  bool allowed = true;
  Verdict verdict = Verdict::Unrestricted;
  // Applicable windows: bound to the subject, governing the action, valid at the instant.
  std::vector<WindowStatus> windows;
  // Denied: the blocking window.  For OutsideMaintenance, the maintenance
  // window whose occurrence lifts the block (or the first one when none will).
  std::optional<std::size_t> deciding_window;
  // BlockedByBlackout: the blackout's current occurrence.  OutsideMaintenance:
  // the maintenance occurrence that lifts the block.
  std::optional<Occurrence> deciding_occurrence;
  // Denied: the first instant at which this requester will be allowed,
  // across chained and overlapping occurrences; empty when block_end says
  // why none was found.
  std::optional<Instant> blocked_until;
  BlockEnd block_end = BlockEnd::Found;
  // ExemptFromBlock: the windows the requester passes because of an exemption
  // or an exception.
  std::vector<std::size_t> bypassed;
  // ExemptFromBlock: the exceptions in force that lift a bypassed window the
  // requester is not otherwise exempt from, each with those windows only.
  std::vector<ExceptionGrant> exceptions;
  // Allowed: a block for this requester starts within settings.warnBeforeMinutes.
  std::optional<UpcomingBlock> upcoming;
  // The same input at any instant from its own up to this one (exclusive) is
  // decided the same: until the first instant at which an applicable
  // window's state changes (less warnBeforeMinutes while no block is
  // foreseen, so that the warning is not missed), and at the latest until an
  // exception that applies starts or ends; one second when the end of a block
  // is out of sight or a walk ran out of budget.
  Instant holds_until;
  // What deciding cost (window_changes does not depend on the memo).
  EvaluationCost cost;
};

// `memo`, optional, shares schedule evaluations between the decisions of one
// thread (see schedule_memo.hpp); without it, a memo of the decision's own is
// used.  The decision is the same either way.
Decision decide(const Policy& policy, const DecisionInput& input, ScheduleMemo* memo = nullptr);

}  // namespace windowguard::core
