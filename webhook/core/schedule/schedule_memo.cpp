#include "core/schedule/schedule_memo.hpp"

namespace windowguard::core {

ScheduleMemo::State ScheduleMemo::state(const Policy& policy, std::size_t window, Instant t, EvaluationCost& cost) {
  if (policy.identity() != policy_) {
    policy_ = policy.identity();
    windows_.clear();
  }
  Spans& known = windows_[window];
  for (const Span& span : known.spans) {
    if (span.from <= t && t < span.state.holds_until) {
      return span.state;
    }
  }
  Span& span = known.spans[known.next];
  known.next = (known.next + 1) % kSpansPerWindow;
  span.state = policy.windows()[window].schedule.state_at(t, cost);
  span.from = t;
  return span.state;
}

}  // namespace windowguard::core
