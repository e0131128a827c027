#pragma once
// The eight duration kinds of a window, as local wall-clock rules, and their
// expansion into local occurrences.  Turning local times into instants is the
// schedule's job (schedule.hpp), so that DST is handled in one place.
#include <bitset>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/schedule/cron.hpp"
#include "core/schedule/time.hpp"

namespace windowguard::core {

struct Once {
  LocalTime from;
  LocalTime to;
};

struct Daily {
  minutes from;  // since local midnight
  minutes to;
};

struct Weekly {
  std::bitset<7> days;  // bit = weekday c_encoding, 0 = Sunday
  minutes from;
  minutes to;
};

struct WeekdayTime {
  date::weekday day;
  minutes time;
};

struct WeeklyRange {
  WeekdayTime from;
  WeekdayTime to;
};

struct MonthDayTime {
  int day;  // 1..31 from the start of the month, -1..-31 from its end; clamped into the month
  minutes time;
};

struct Monthly {
  MonthDayTime from;
  MonthDayTime to;
};

struct YearDayTime {
  date::month month;
  date::day day;  // Feb 29 is Feb 28 in common years
  minutes time;
};

struct Yearly {
  YearDayTime from;
  YearDayTime to;
};

struct Cron {
  CronSchedule schedule;
  seconds duration;  // wall-clock length of each occurrence
};

struct LocalInterval {
  LocalTime from;
  LocalTime to;
};

// One occurrence of a calendar's event, in the window's zone.
struct CalendarOccurrence {
  LocalInterval interval;
  std::uint32_t event;  // index into Calendar::summaries
};

// A `calendar:` duration: the events of an iCalendar file, expanded by the
// policy loader (policy/calendar_reader.hpp, with libical) into local
// occurrences in the window's zone.
struct Calendar {
  std::string file;
  std::vector<CalendarOccurrence> occurrences;  // sorted by start, then end
  std::vector<std::string> summaries;           // each event's SUMMARY, "" when it has none
  seconds longest_span{0};                      // of any occurrence

  // The first occurrence that starts at or after `start` (end() if none).
  std::vector<CalendarOccurrence>::const_iterator first_starting_from(LocalTime start) const;
};

using Recurrence = std::variant<Once, Daily, Weekly, WeeklyRange, Monthly, Yearly, Cron, Calendar>;

// Appends every occurrence whose local start falls on a day in [first, last].
void append_local_occurrences(const Recurrence& recurrence, LocalDay first, LocalDay last,
                              std::vector<LocalInterval>& out);

// An upper bound on the local length of one occurrence.
seconds longest_local_span(const Recurrence& recurrence);

}  // namespace windowguard::core
