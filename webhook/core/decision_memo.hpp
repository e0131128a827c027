#pragma once
// Remembers decisions for as long as they hold, so that the requests that share
// a subject, requester and action share one decision until an applicable
// window changes (see Decision::holds_until).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/decision.hpp"
#include "core/schedule_memo.hpp"

namespace windowguard::core {

class DecisionMemo {
 public:
  // Room for `entries` decisions (an input whose entry another input took is
  // decided again when it comes back).
  explicit DecisionMemo(std::size_t entries = 64) : entries_(std::max<std::size_t>(entries, 1)) {}

  // decide(policy, input) with this memo's schedule memo, remembered.  decide
  // is a pure function of the policy and the input, and the memo keys on every
  // field of the input but the instant and the exception book; the instant
  // must fall between the instant decided at and the decision's holds_until,
  // so its answers are decide's.  The decision is shared, not copied: it stays
  // valid after the memo has moved on.  A different policy or exception book
  // (by identity) resets the memo; the caller keeps the policy alive while it
  // uses the memo with it.  Not thread-safe: one memo per thread.
  std::shared_ptr<const Decision> decide(const Policy& policy, const DecisionInput& input);

 private:
  // What a remembered decision was made for: an owned copy of a
  // DecisionInput but its instant.  Its texts are the input's in one order
  // (see decision_memo.cpp), so that comparing, hashing and copying an input
  // walk the same list of fields.
  struct Key {
    Action action = Action::Deploy;
    bool whole_environment = false;
    // How many texts are groups and how many the object's labels: a label
    // could read as two groups, or as a namespace label.
    std::size_t groups = 0;
    std::size_t labels = 0;
    std::vector<std::string> texts;

    void assign(const DecisionInput& input);  // reuses the texts' storage
    bool operator==(const DecisionInput& input) const;
  };
  struct Entry {
    Key key;
    Instant decided_at;
    std::shared_ptr<const Decision> decision;  // null until filled
  };
  const Policy* policy_ = nullptr;
  std::uint64_t book_ = 0;  // the identity of the input's ExceptionBook, 0 for none
  // Direct-mapped by the input's hash (which leaves out the instant): a lookup
  // is one comparison.
  std::vector<Entry> entries_;
  ScheduleMemo schedules_;
};

}  // namespace windowguard::core
