#pragma once
// RFC 3339 text for instants, as shown to people and written in JSON.
#include <optional>
#include <string>
#include <string_view>

#include "core/schedule/time_zone.hpp"

namespace windowguard::core {

// "2024-06-20T20:00:00-07:00": the instant as wall time in `zone` with its offset.
std::string format_in_zone(Instant instant, const TimeZone& zone);
// "2024-06-21T03:00:00Z"
std::string format_utc(Instant instant);
// For people: "Fri 2024-06-20 20:00 PDT" (seconds only when not zero),
// appended to `text` (messages are built in one string).
void append_readable(std::string& text, Instant instant, const TimeZone& zone);
// Accepts "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM", with an
// optional fraction of a second (dropped).
std::optional<Instant> parse_rfc3339(std::string_view text);

}  // namespace windowguard::core
