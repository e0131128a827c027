#pragma once
// Remembers what each window's schedule does during one minute, so that the
// requests of that minute share the work of evaluating it.
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
  };

  // The state of `policy.windows()[window]`'s schedule at `t`, computed once
  // per window and minute (for the last few minutes asked about).  Exact, not approximate: when every boundary of a
  // schedule falls on a whole minute (its local times and dates, and zone
  // offsets since 1972), all instants of a minute share their state and their
  // next change.  Other schedules (a cron lasting "90s") and earlier instants
  // are computed every time.  A different
  // policy resets the memo; the caller keeps the policy alive while it uses
  // the memo with it.  Not thread-safe: one memo per thread.
  const State& state(const Policy& policy, std::size_t window, Instant t);

 private:
  struct Entry {
    bool filled = false;
    minutes minute{0};
    State state;
  };
  // A few minutes per window: a denial looks ahead at the instants where
  // windows change, and the next request asks about the present again.
  static constexpr std::size_t kMinutesPerWindow = 3;
  struct Minutes {
    std::array<Entry, kMinutesPerWindow> entries;
    std::size_t next = 0;  // the entry to replace next
  };

  const Policy* policy_ = nullptr;
  std::vector<Minutes> windows_;
  State uncached_;
};

}  // namespace windowguard::core
