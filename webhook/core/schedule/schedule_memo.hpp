#pragma once
// Remembers, per window, the stretches of time over which its schedule's state
// cannot change, so that requests share the work of evaluating it.
#include <array>
#include <cstddef>
#include <cstdint>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/policy.hpp"

namespace windowguard::core {

class ScheduleMemo {
 public:
  using State = ScheduleState;

  // The state of `policy.windows()[window]`'s schedule at `t`: what
  // Schedule::state_at says, kept for the span it holds, so that every later
  // request inside that span is a range check.  Exact, not approximate.  What
  // computing a state generated is added to `cost.expansions`.  A different
  // policy (by identity) resets the memo.  Not thread-safe: one memo per
  // thread.
  State state(const Policy& policy, std::size_t window, Instant t, EvaluationCost& cost);

 private:
  struct Span {
    Instant from;
    State state;  // from == state.holds_until: empty
  };
  // A few spans per window: a denial looks ahead through the instants where
  // the applicable windows change, and the next request asks about the
  // present again.
  static constexpr std::size_t kSpansPerWindow = 4;
  struct Spans {
    std::array<Span, kSpansPerWindow> spans{};
    std::size_t next = 0;  // the span to replace next
  };

  std::uint64_t policy_ = 0;  // the identity of the policy the spans are of
  // The windows asked about, by index: a memo costs in proportion to the
  // windows it was asked about, not to the policy's size, so that one made
  // for a single decision is cheap.
  boost::unordered_flat_map<std::size_t, Spans> windows_;
};

}  // namespace windowguard::core
