#pragma once
// Parsers for the scalar value forms of docs/policy.md ("02:00", "Sat 00:00",
// "-1 22:30", "Dec 20 00:00", "2024-06-20 20:00", "1h30m", "+05:30").  Each
// returns the value or a problem whose message says what was expected.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/schedule/recurrence.hpp"

namespace windowguard::policy {

// Whether `text` is `name` but for ASCII case: how every enumeration of a
// policy (window types, actions, selector operators, booleans, day and month
// names) is matched.
bool same_name(std::string_view text, std::string_view name);

Result<core::minutes> parse_clock_time(std::string_view text);
Result<date::weekday> parse_weekday(std::string_view text);
Result<core::WeekdayTime> parse_weekday_time(std::string_view text);
Result<core::MonthDayTime> parse_month_day_time(std::string_view text);
Result<core::YearDayTime> parse_year_day_time(std::string_view text);
Result<core::LocalTime> parse_local_date_time(std::string_view text);
// A bare date is that day's start; the caller decides what a bare date means.
struct DateOrDateTime {
  core::LocalTime time;
  bool date_only;
};
Result<DateOrDateTime> parse_date_or_date_time(std::string_view text);
Result<core::seconds> parse_go_duration(std::string_view text);
// An RFC 3339 instant: "2026-12-05T18:00:00Z" or with an offset.
Result<core::Instant> parse_instant(std::string_view text);
// Whether the text is meant as an offset (starts with + or -) rather than a zone name.
bool is_offset_form(std::string_view text);
// "+HH:MM" / "-HH:MM".
Result<core::minutes> parse_fixed_offset(std::string_view text);

}  // namespace windowguard::policy
