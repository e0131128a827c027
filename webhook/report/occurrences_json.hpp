#pragma once
// The JSON shape of an occurrence listing, shared by `windowguard windows
// --output json` and the webhook's GET /windows.
#include <string>
#include <vector>

#include "core/schedule/upcoming.hpp"

namespace windowguard::report {

// A JSON list of {window, type, timeZone, start, end, startUtc, endUtc, active}.
std::string occurrences_json(const core::Policy& policy, const std::vector<core::ListedOccurrence>& listed);

}  // namespace windowguard::report
