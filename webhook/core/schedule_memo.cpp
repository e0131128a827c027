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
    windows_.assign(policy.windows().size(), Minutes{});
  }
  Minutes& known = windows_[window];
  const minutes minute = std::chrono::floor<minutes>(t.time_since_epoch());
  for (const Entry& entry : known.entries) {
    if (entry.filled && entry.minute == minute) {
      return entry.state;
    }
  }
  Entry& entry = known.entries[known.next];
  known.next = (known.next + 1) % kMinutesPerWindow;
  entry = Entry{true, minute, evaluate(schedule, t)};
  return entry.state;
}

}  // namespace windowguard::core
