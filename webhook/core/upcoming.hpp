#pragma once
// Active and upcoming occurrences, for "when can I deploy?" listings
// (`windowguard windows` and the webhook's GET /windows).
#include <cstddef>
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

// Occurrences overlapping [at, at + ahead), overlapping or touching ones of the
// same window merged into one, sorted by start then window order.
std::vector<ListedOccurrence> list_occurrences(const Policy& policy, const ListingRequest& request);

}  // namespace windowguard::core
