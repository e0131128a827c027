#pragma once
// The iCalendar files of a policy directory, for `calendar:` durations and
// `except: [{calendar: FILE}]` (docs/policy.md, "Calendars"): parsed and
// their recurrences expanded by libical, then placed in a window's zone.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/schedule/recurrence.hpp"
#include "core/schedule/time_zone.hpp"

namespace windowguard::policy {

// The most occurrences one file expands to: an RRULE without an end (or
// with a huge COUNT) is refused once its events pass it, after no more work.
inline constexpr std::size_t kMostCalendarOccurrences = 20'000;
// Occurrences are expanded up to the start of this local year.
inline constexpr int kCalendarEndYear = 2100;

// Whether a file of the policy directory is an iCalendar file (*.ics).
bool is_calendar_file(std::string_view name);

// A file's occurrences, before a window's zone places them (calendar_reader.cpp).
struct ExpandedCalendar;

class CalendarFiles {
 public:
  struct Source {
    std::string file;  // the name used in problem locations
    std::string text;
  };
  CalendarFiles() = default;
  explicit CalendarFiles(std::vector<Source> sources);
  CalendarFiles(const CalendarFiles&) = delete;
  CalendarFiles& operator=(const CalendarFiles&) = delete;
  ~CalendarFiles();

  // Whether the directory holds the file of that name ("holidays.ics").
  bool holds(std::string_view name) const;
  // The file's events as occurrences in `zone`: an all-day event spans its
  // local days there, a timed one keeps its own zone.  Empty when the file
  // has problems; they are added to `problems` the first time it is asked for.
  std::optional<core::Calendar> in_zone(std::string_view name, const core::TimeZone& zone, Problems& problems);
  // Every local date in `zone` that an occurrence of the file's events
  // touches (an event of no length, its start's), for `except:`.
  std::optional<std::vector<core::LocalDay>> days_touched(std::string_view name, const core::TimeZone& zone,
                                                          Problems& problems);

 private:
  const ExpandedCalendar* expanded(std::string_view name, Problems& problems);
  // Each occurrence's interval in `zone`, lengthless ones included, unsorted.
  static std::vector<core::CalendarOccurrence> placed(const ExpandedCalendar& calendar, const core::TimeZone& zone);

  struct File {
    Source source;
    bool read = false;
    std::unique_ptr<ExpandedCalendar> expanded;  // when read and sound
  };
  std::map<std::string, File, std::less<>> files_;  // by name
};

}  // namespace windowguard::policy
