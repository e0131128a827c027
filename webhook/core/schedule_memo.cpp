#include "core/schedule_memo.hpp"

#include <algorithm>

namespace windowguard::core {
namespace {

ScheduleMemo::State evaluate(const Schedule& schedule, Instant t) {
  ScheduleMemo::State state;
  state.valid = schedule.valid_at(t);
  if (state.valid) {
    state.occurrence = schedule.occurrence_at(t);
  }
  state.next_change = schedule.next_change_after(t);
  return state;
}

// How long `state`, computed at `t`, holds.  Besides the next change, the
// occurrence reported changes when a longer one starts inside it.
Instant holds_until(const Schedule& schedule, Instant t, const ScheduleMemo::State& state) {
  Instant until = state.next_change.value_or(t + seconds{1});
  if (state.occurrence) {
    for (const Occurrence& other : schedule.occurrences_overlapping(t, state.occurrence->to)) {
      if (other.from > t) {
        until = std::min(until, other.from);
      }
    }
  }
  return until;
}

}  // namespace

const ScheduleMemo::State& ScheduleMemo::state(const Policy& policy, std::size_t window, Instant t) {
  if (&policy != policy_) {
    policy_ = &policy;
    windows_.assign(policy.windows().size(), Spans{});
  }
  Spans& known = windows_[window];
  for (const Span& span : known.spans) {
    if (span.from <= t && t < span.state.holds_until) {
      return span.state;
    }
  }
  const Schedule& schedule = policy.windows()[window].schedule;
  Span& span = known.spans[known.next];
  known.next = (known.next + 1) % kSpansPerWindow;
  span.state = evaluate(schedule, t);
  span.from = t;
  span.state.holds_until = holds_until(schedule, t, span.state);
  return span.state;
}

}  // namespace windowguard::core
