#include "core/schedule_memo.hpp"

namespace windowguard::core {
namespace {

// Before 1972 some zones had offsets with seconds (Africa/Monrovia, -00:44:30).
constexpr Instant kWholeMinuteOffsetsSince{seconds{63'072'000}};  // 1972-01-01T00:00:00Z

ScheduleMemo::State evaluate(const Schedule& schedule, Instant t) {
  ScheduleMemo::State state;
  state.valid = schedule.valid_at(t);
  if (state.valid) {
    state.occurrence = schedule.occurrence_at(t);
  }
  state.next_change = schedule.next_change_after(t);
  return state;
}

}  // namespace

const ScheduleMemo::State& ScheduleMemo::state(const Policy& policy, std::size_t window, Instant t) {
  const Schedule& schedule = policy.windows()[window].schedule;
  if (t < kWholeMinuteOffsetsSince || !schedule.on_whole_minutes()) {
    uncached_ = evaluate(schedule, t);
    return uncached_;
  }
  if (&policy != policy_) {
    policy_ = &policy;
    entries_.assign(policy.windows().size(), Entry{});
  }
  Entry& entry = entries_[window];
  const minutes minute = std::chrono::floor<minutes>(t.time_since_epoch());
  if (!entry.filled || entry.minute != minute) {
    entry.state = evaluate(schedule, t);
    entry.minute = minute;
    entry.filled = true;
  }
  return entry.state;
}

}  // namespace windowguard::core
