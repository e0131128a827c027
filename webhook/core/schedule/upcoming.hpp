#pragma once
// Active and upcoming occurrences, for "when can I deploy?" listings
// (`windowguard windows` and the webhook's GET /windows).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/policy.hpp"

namespace windowguard::core {

// The furthest a listing looks ahead, in days (settings.upcomingDays, --days,
// GET /windows?days=): as far as the schedule engine searches.
inline constexpr int kMostListedDays = static_cast<int>(Schedule::kSearchHorizon.count());

struct ListedOccurrence {
  std::size_t window;  // index into Policy::windows()
  Occurrence occurrence;
  bool active;             // contains the listing's instant
  std::string_view event;  // the calendar event it starts with ("Christmas Day"), or empty
};

struct ListingRequest {
  // When set, only windows bound to this subject; otherwise every window.
  std::optional<Subject> subject;
  Instant at;
  // How far ahead to look; when unset, settings.upcomingDays for each window's type.
  std::optional<days> ahead;
};

// When a window next turns active and next turns inactive after `at`
// (chained and overlapping occurrences count as one), for the metrics of
// what is coming.  Each is empty when it does not happen within
// Schedule::kSearchHorizon, or within the states the search may read.
struct WindowForecast {
  std::optional<Instant> next_active;
  std::optional<Instant> next_inactive;
};
WindowForecast forecast(const Schedule& schedule, Instant at);

// Each window's forecast, kept until the first change it foresees (or a day,
// when it foresees none: a change just past the horizon comes within it
// later), so that a scrape recomputes only the windows that changed since
// the last one.  Exact.  A different policy (by identity) resets it.  Not
// thread-safe.
class ForecastMemo {
 public:
  const WindowForecast& of(const Policy& policy, std::size_t window, Instant at);

 private:
  struct Kept {
    WindowForecast forecast;
    Instant from;
    Instant until;  // exclusive
  };
  std::uint64_t policy_ = 0;
  std::vector<std::optional<Kept>> windows_;
};

// The schedule's occurrences overlapping [from, to), overlapping or touching
// ones merged into one, by start.
std::vector<Occurrence> merged_occurrences(const Schedule& schedule, Instant from, Instant to);

// Occurrences overlapping [at, at + ahead), overlapping or touching ones of the
// same window merged into one, sorted by start then window order.
std::vector<ListedOccurrence> list_occurrences(const Policy& policy, const ListingRequest& request);

}  // namespace windowguard::core
