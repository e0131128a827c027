#include "core/schedule/upcoming.hpp"

#include <algorithm>
#include <numeric>

namespace windowguard::core {

WindowForecast forecast(const Schedule& schedule, Instant at) {
  // Each state read ends where the window's activity may change, or at the
  // horizon: occurrences chained end to end take one state each.
  constexpr std::size_t kMostStates = 16;
  WindowForecast forecast;
  EvaluationCost cost;
  const Instant horizon_end = at + Schedule::kSearchHorizon;
  const ScheduleState first = schedule.state_at(at, cost);
  bool active = first.occurrence.has_value();
  Instant next = first.activity_holds_until;
  for (std::size_t states = 1; states < kMostStates && next <= horizon_end; ++states) {
    const ScheduleState then = schedule.state_at(next, cost);
    if (then.occurrence.has_value() != active) {
      active = !active;
      (active ? forecast.next_active : forecast.next_inactive) = next;
      if (forecast.next_active && forecast.next_inactive) {
        break;
      }
    }
    next = then.activity_holds_until;
  }
  return forecast;
}

const WindowForecast& ForecastMemo::of(const Policy& policy, std::size_t window, Instant at) {
  if (policy.identity() != policy_) {
    policy_ = policy.identity();
    windows_.assign(policy.windows().size(), std::nullopt);
  }
  std::optional<Kept>& kept = windows_[window];
  if (!kept || at < kept->from || at >= kept->until) {
    const WindowForecast forecast = core::forecast(policy.windows()[window].schedule, at);
    const Instant until = std::min(
        {forecast.next_active.value_or(Instant::max()), forecast.next_inactive.value_or(Instant::max()), at + days{1}});
    kept = Kept{forecast, at, until};
  }
  return kept->forecast;
}

std::vector<Occurrence> merged_occurrences(const Schedule& schedule, Instant from, Instant to) {
  std::vector<Occurrence> merged;
  for (const Occurrence& occurrence : schedule.occurrences_overlapping(from, to)) {
    if (!merged.empty() && occurrence.from <= merged.back().to) {
      merged.back().to = std::max(merged.back().to, occurrence.to);
    } else {
      merged.push_back(occurrence);
    }
  }
  return merged;
}

std::vector<ListedOccurrence> list_occurrences(const Policy& policy, const ListingRequest& request) {
  std::vector<std::size_t> windows;
  if (request.subject) {
    windows = policy.windows_for(*request.subject);
  } else {
    windows.resize(policy.windows().size());
    std::iota(windows.begin(), windows.end(), std::size_t{0});
  }
  const UpcomingDays& defaults = policy.settings().upcoming_days;
  std::vector<ListedOccurrence> listed;
  for (std::size_t index : windows) {
    const Window& window = policy.windows()[index];
    const days ahead =
        request.ahead.value_or(days{window.type == WindowType::Blackout ? defaults.blackout : defaults.maintenance});
    for (const Occurrence& occurrence : merged_occurrences(window.schedule, request.at, request.at + ahead)) {
      listed.push_back({index, occurrence, occurrence.from <= request.at && request.at < occurrence.to,
                        window.schedule.event_starting_at(occurrence.from)});
    }
  }
  std::stable_sort(listed.begin(), listed.end(), [](const ListedOccurrence& a, const ListedOccurrence& b) {
    return a.occurrence.from != b.occurrence.from ? a.occurrence.from < b.occurrence.from : a.window < b.window;
  });
  return listed;
}

}  // namespace windowguard::core
