#pragma once
// The calendar feed (GET /calendar.ics, `windowguard windows --output ics`):
// RFC 5545, one VEVENT per occurrence of each window of the timeline, written
// by libical, which folds long lines, escapes text and ends lines with CRLF.
// It names windows, their messages and where they are bound: never people.
#include <string>

#include "core/policy.hpp"
#include "core/timeline.hpp"

namespace windowguard::report {

// The UID of an occurrence: the same for the same window and start across
// refreshes and restarts, so that calendars update an event, not add one.
std::string occurrence_uid(const core::Window& window, core::Instant start);

std::string calendar_ics(const core::Policy& policy, const core::Timeline& timeline);

}  // namespace windowguard::report
