#pragma once
// Remembers, per window, the stretches of time over which its schedule's state
// cannot change, so that requests share the work of evaluating it.
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "core/policy.hpp"

namespace windowguard::core {

class ScheduleMemo {
 public:
  struct State {
    bool valid = false;                    // inside the window's validity
    std::optional<Occurrence> occurrence;  // Schedule::occurrence_at, when valid
    std::optional<Instant> next_change;    // Schedule::next_change_after, unbounded
    Instant holds_until;                   // exclusive: the state is the same until then
  };

  // The state of `policy.windows()[window]`'s schedule at `t`.  Computing it
  // at `t` also yields how long it holds: until the window next changes (or
  // until another occurrence starts inside the current one), so the answer is
  // kept for that span and every later request inside it is a range check.
  // Exact, not approximate.  A window that will not change within the search
  // horizon is kept for its second only: a change just past the horizon comes
  // within it a second later, as it does for the schedule.  A different
  // policy resets the memo; the caller keeps the policy alive while it uses
  // the memo with it.  Not thread-safe: one memo per thread.
  const State& state(const Policy& policy, std::size_t window, Instant t);

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
    std::array<Span, kSpansPerWindow> spans;
    std::size_t next = 0;  // the span to replace next
  };

  const Policy* policy_ = nullptr;
  std::vector<Spans> windows_;
};

}  // namespace windowguard::core
