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
#include "core/images/image_verdict_memo.hpp"
#include "core/memo_table.hpp"
#include "core/schedule/schedule_memo.hpp"

namespace windowguard::core {

class DecisionMemo {
 public:
  // Room for `entries` decisions (an input whose entry another input took is
  // decided again when it comes back).
  explicit DecisionMemo(std::size_t entries = 64) : decisions_(entries) {}

  // decide(policy, input) with this memo's schedule memo, remembered.  decide
  // is a pure function of the policy and the input, and the memo keys on every
  // field of the input but the instant and the exception book; the instant
  // must fall between the instant decided at and the decision's holds_until,
  // so its answers are decide's.  The decision is shared, not copied: it stays
  // valid after the memo has moved on, while the policy it names does.  A
  // different policy or exception book (by identity) resets the memo.  Not
  // thread-safe: one memo per thread.
  std::shared_ptr<const Decision> decide(const Policy& policy, const DecisionInput& input);

  // The same thread's memo of what deploys' images make of the approvals
  // and image policies.
  ImageVerdictMemo& image_verdicts() { return image_verdicts_; }

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
  // By policy and ExceptionBook identity, and the input's hash (which leaves
  // out the instant).
  MemoTable<Key, Decision> decisions_;
  ScheduleMemo schedules_;
  ImageVerdictMemo image_verdicts_;
};

}  // namespace windowguard::core
