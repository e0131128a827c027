#include "policy/calendar_reader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <sstream>
#include <utility>

#include <libical/ical.h>

namespace windowguard::policy {

// One occurrence of an event, before a window's zone places it: all-day and
// floating events are local wall-clock times of whichever zone reads them,
// timed events with a TZID or in UTC are instants.
struct ExpandedCalendar {
  struct Occurrence {
    bool instants = false;
    core::LocalTime local_from;  // when !instants
    core::LocalTime local_to;
    core::Instant from;  // when instants
    core::Instant to;
    std::uint32_t event = 0;
  };
  std::vector<Occurrence> occurrences;
  std::vector<std::string> summaries;
};

namespace {

using Expanded = ExpandedCalendar;
using Owned = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;

const core::LocalTime kExpansionEnd{date::local_days{date::year{kCalendarEndYear} / 1 / 1}};

// Where each component begins and each event's RRULE is, read off the
// unfolded text: libical reports no lines, so problems are placed by these.
struct Lines {
  std::vector<int> event_begins;  // per VEVENT, in order
  std::vector<int> rrules;        // per VEVENT: its first RRULE line, or its BEGIN line
  std::optional<Problem> structure;
};

Lines read_lines(const std::string& file, const std::string& text) {
  Lines lines;
  std::vector<std::pair<std::string, int>> open;  // BEGIN:NAME and its line
  std::istringstream stream(text);
  std::string line;
  int number = 0;
  while (std::getline(stream, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty() || line.front() == ' ' || line.front() == '\t') {
      continue;  // a folded line continues the one before
    }
    const auto upper = [](std::string value) {
      std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::toupper(c); });
      return value;
    };
    const std::string name = upper(line.substr(0, line.find_first_of(":;")));
    const std::string value = line.find(':') == std::string::npos ? "" : upper(line.substr(line.find(':') + 1));
    if (name == "BEGIN") {
      open.emplace_back(value, number);
      if (value == "VEVENT") {
        lines.event_begins.push_back(number);
        lines.rrules.push_back(number);
      }
    } else if (name == "END") {
      if (open.empty() || open.back().first != value) {
        lines.structure = Problem{{file, number, 1},
                                  "END:" + value +
                                      (open.empty() ? " closes nothing"
                                                    : " does not close BEGIN:" + open.back().first + " of line " +
                                                          std::to_string(open.back().second))};
        return lines;
      }
      open.pop_back();
    } else if (name == "RRULE" && !open.empty() && open.back().first == "VEVENT" &&
               lines.rrules.back() == lines.event_begins.back()) {
      lines.rrules.back() = number;
    }
  }
  if (!open.empty()) {
    lines.structure = Problem{{file, open.back().second, 1},
                              "BEGIN:" + open.back().first + " is never closed (no END:" + open.back().first + ")"};
  } else if (number == 0 || text.find_first_not_of(" \t\r\n") == std::string::npos) {
    lines.structure = Problem{{file}, "is empty; expected an iCalendar file (BEGIN:VCALENDAR ... END:VCALENDAR)"};
  }
  return lines;
}

core::LocalTime local_time_of(const icaltimetype& time) {
  const date::local_days day{date::year{time.year} / time.month / time.day};
  if (time.is_date != 0) {
    return core::LocalTime{day};
  }
  return day + core::hours{time.hour} + core::minutes{time.minute} + core::seconds{time.second};
}

// How an event's times become instants: by the tz database for an IANA
// TZID (by the gap and overlap rules of every local time, docs/policy.md), by the
// file's VTIMEZONE for another, as UTC for a "Z" time; floating and all-day
// times stay local, for the window's zone to place.
struct TimeFrame {
  enum class Kind { Local, Utc, Iana, Vtimezone } kind = Kind::Local;
  std::optional<core::TimeZone> zone;
  icaltimezone* vtimezone = nullptr;

  bool instants() const { return kind != Kind::Local; }
  core::Instant to_instant(const icaltimetype& time) const {
    switch (kind) {
      case Kind::Utc:
        return core::Instant{local_time_of(time).time_since_epoch()};
      case Kind::Iana:
        return zone->to_instant(local_time_of(time));
      case Kind::Vtimezone:
        return core::Instant{core::seconds{icaltime_as_timet_with_zone(time, vtimezone)}};
      case Kind::Local:
        break;
    }
    return core::Instant{local_time_of(time).time_since_epoch()};
  }
};

std::optional<std::string> tzid_of(icalproperty* property) {
  icalparameter* parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
  const char* tzid = parameter != nullptr ? icalparameter_get_tzid(parameter) : nullptr;
  return tzid != nullptr ? std::optional<std::string>(tzid) : std::nullopt;
}

Result<TimeFrame> frame_of(icalproperty* property, const icaltimetype& time, icalcomponent* calendar) {
  TimeFrame frame;
  if (time.is_date != 0) {
    return frame;
  }
  if (icaltime_is_utc(time) != 0) {
    frame.kind = TimeFrame::Kind::Utc;
    return frame;
  }
  const std::optional<std::string> tzid = tzid_of(property);
  if (!tzid) {
    return frame;
  }
  try {
    frame.zone = core::TimeZone::iana(date::locate_zone(*tzid));
    frame.kind = TimeFrame::Kind::Iana;
    return frame;
  } catch (const std::exception&) {
    frame.vtimezone = icalcomponent_get_timezone(calendar, tzid->c_str());
  }
  if (frame.vtimezone == nullptr) {
    return Problem("TZID \"" + *tzid + "\" is neither an IANA time zone nor defined by a VTIMEZONE of the file");
  }
  frame.kind = TimeFrame::Kind::Vtimezone;
  return frame;
}

// A start as the event's frame reads it, for comparing with EXDATEs.
struct Start {
  bool date_only = false;
  bool has_instant = false;
  core::LocalTime local;  // the wall-clock fields, in the time's own frame
  core::Instant instant;  // when has_instant

  // An EXDATE matches a start at the same instant, or at the same local
  // time when either is floating, or on the same date when either is a
  // date (RFC 5545: a DATE EXDATE for all-day events).
  bool matches(const Start& other) const {
    if (date_only || other.date_only) {
      return date::floor<core::days>(local) == date::floor<core::days>(other.local);
    }
    return has_instant && other.has_instant ? instant == other.instant : local == other.local;
  }
};

class EventExpander {
 public:
  EventExpander(icalcomponent* calendar, icalcomponent* event, std::uint32_t index, Expanded& into, std::size_t& budget)
      : calendar_(calendar), event_(event), index_(index), into_(into), budget_(budget) {}

  // Empty when the event expanded; otherwise what is wrong with it.
  std::optional<std::string> expand() {
    icalproperty* start_property = icalcomponent_get_first_property(event_, ICAL_DTSTART_PROPERTY);
    if (start_property == nullptr) {
      return "has no DTSTART";
    }
    start_ = icalproperty_get_dtstart(start_property);
    if (icaltime_is_null_time(start_) != 0 || icaltime_is_valid_time(start_) == 0) {
      return "has a DTSTART that is no valid date or date-time";
    }
    Result<TimeFrame> frame = frame_of(start_property, start_, calendar_);
    if (!frame) {
      return "DTSTART " + frame.error().message;
    }
    frame_ = std::move(frame).value();
    if (auto length = read_length()) {
      length_ = *length;
    } else {
      return length.error().message;
    }
    if (auto excluded = read_exdates()) {
      exdates_ = std::move(excluded).value();
    } else {
      return excluded.error().message;
    }
    if (icalproperty* rule_property = icalcomponent_get_first_property(event_, ICAL_RRULE_PROPERTY)) {
      if (auto problem = expand_rule(icalproperty_get_rrule(rule_property))) {
        return problem;
      }
    } else if (auto problem = add(start_, length_)) {
      return problem;
    }
    for (icalproperty* rdate = icalcomponent_get_first_property(event_, ICAL_RDATE_PROPERTY); rdate != nullptr;
         rdate = icalcomponent_get_next_property(event_, ICAL_RDATE_PROPERTY)) {
      const icaldatetimeperiodtype value = icalproperty_get_rdate(rdate);
      std::optional<std::string> problem;
      if (icaltime_is_null_time(value.time) == 0) {
        problem = add(value.time, length_);
      } else {
        problem = add(value.period.start, local_time_of(value.period.end) - local_time_of(value.period.start));
      }
      if (problem) {
        return problem;
      }
    }
    return std::nullopt;
  }

  bool rule_problem() const { return rule_problem_; }

 private:
  // The event's length as a wall-clock duration: DTEND - DTSTART, or
  // DURATION, or one day for an all-day event without either (RFC 5545).
  Result<core::seconds> read_length() const {
    if (icalproperty* end_property = icalcomponent_get_first_property(event_, ICAL_DTEND_PROPERTY)) {
      const icaltimetype end = icalproperty_get_dtend(end_property);
      if (icaltime_is_valid_time(end) == 0 || (end.is_date != 0) != (start_.is_date != 0)) {
        return Problem("has a DTEND that is not of DTSTART's kind (a date, or a date-time)");
      }
      if (tzid_of(end_property) != tzid_of(icalcomponent_get_first_property(event_, ICAL_DTSTART_PROPERTY)) ||
          icaltime_is_utc(end) != icaltime_is_utc(start_)) {
        return Problem("has a DTEND in another time zone than its DTSTART");
      }
      const core::seconds length = local_time_of(end) - local_time_of(start_);
      if (length < core::seconds{0}) {
        return Problem("ends (DTEND) before it starts (DTSTART)");
      }
      return length;
    }
    if (icalproperty* duration = icalcomponent_get_first_property(event_, ICAL_DURATION_PROPERTY)) {
      const icaldurationtype value = icalproperty_get_duration(duration);
      if (value.is_neg != 0) {
        return Problem("has a negative DURATION");
      }
      return core::seconds{icaldurationtype_as_int(value)};
    }
    return start_.is_date != 0 ? core::seconds{core::days{1}} : core::seconds{0};
  }

  static Start start_of(const TimeFrame& frame, const icaltimetype& time) {
    return Start{time.is_date != 0, frame.instants(), local_time_of(time),
                 frame.instants() ? frame.to_instant(time) : core::Instant{}};
  }

  Result<std::vector<Start>> read_exdates() const {
    std::vector<Start> exdates;
    for (icalproperty* property = icalcomponent_get_first_property(event_, ICAL_EXDATE_PROPERTY); property != nullptr;
         property = icalcomponent_get_next_property(event_, ICAL_EXDATE_PROPERTY)) {
      const icaltimetype time = icalproperty_get_exdate(property);
      Result<TimeFrame> frame = frame_of(property, time, calendar_);
      if (!frame) {
        return Problem("EXDATE " + frame.error().message);
      }
      exdates.push_back(start_of(*frame, time));
    }
    return exdates;
  }

  bool excluded(const icaltimetype& time) const {
    const Start start = start_of(frame_, time);
    return std::any_of(exdates_.begin(), exdates_.end(), [&](const Start& exdate) { return exdate.matches(start); });
  }

  std::optional<std::string> add(const icaltimetype& start, core::seconds length) {
    if (budget_ == 0) {
      return "expands to more than " + std::to_string(kMostCalendarOccurrences) + " occurrences in this file before " +
             std::to_string(kCalendarEndYear) + ": give its RRULE a COUNT or an UNTIL";
    }
    --budget_;
    if (excluded(start)) {
      return std::nullopt;
    }
    Expanded::Occurrence occurrence;
    occurrence.event = index_;
    occurrence.instants = frame_.instants();
    const core::LocalTime from = local_time_of(start);
    if (occurrence.instants) {
      occurrence.from = frame_.to_instant(start);
      // The end is the same wall-clock length later in the event's zone.
      icaltimetype end = start;
      const core::LocalTime local_end = from + length;
      const date::year_month_day day{date::floor<core::days>(local_end)};
      const date::hh_mm_ss<core::seconds> clock{local_end - date::floor<core::days>(local_end)};
      end.year = static_cast<int>(day.year());
      end.month = static_cast<int>(static_cast<unsigned>(day.month()));
      end.day = static_cast<int>(static_cast<unsigned>(day.day()));
      end.hour = static_cast<int>(clock.hours().count());
      end.minute = static_cast<int>(clock.minutes().count());
      end.second = static_cast<int>(clock.seconds().count());
      occurrence.to = frame_.to_instant(end);
    } else {
      occurrence.local_from = from;
      occurrence.local_to = from + length;
    }
    into_.occurrences.push_back(occurrence);
    return std::nullopt;
  }

  std::optional<std::string> expand_rule(icalrecurrencetype rule) {
    if (rule.freq == ICAL_NO_RECURRENCE) {
      rule_problem_ = true;
      return "has an RRULE libical cannot read";
    }
    icaltimetype start = start_;
    start.zone = frame_.vtimezone;
    std::unique_ptr<icalrecur_iterator, decltype(&icalrecur_iterator_free)> iterator(
        icalrecur_iterator_new(rule, start), &icalrecur_iterator_free);
    if (iterator == nullptr) {
      rule_problem_ = true;
      return std::string("has an RRULE libical cannot expand: ") + icalerror_strerror(icalerrno);
    }
    for (icaltimetype next = icalrecur_iterator_next(iterator.get());
         icaltime_is_null_time(next) == 0 && local_time_of(next) < kExpansionEnd;
         next = icalrecur_iterator_next(iterator.get())) {
      if (auto problem = add(next, length_)) {
        rule_problem_ = true;
        return problem;
      }
    }
    return std::nullopt;
  }

  icalcomponent* calendar_;
  icalcomponent* event_;
  std::uint32_t index_;
  Expanded& into_;
  std::size_t& budget_;
  icaltimetype start_{};
  TimeFrame frame_;
  core::seconds length_{0};
  std::vector<Start> exdates_;
  bool rule_problem_ = false;
};

Result<Expanded, Problems> expand_file(const CalendarFiles::Source& source) {
  const Lines lines = read_lines(source.file, source.text);
  if (lines.structure) {
    return Problems{*lines.structure};
  }
  const Owned root(icalparser_parse_string(source.text.c_str()), &icalcomponent_free);
  icalcomponent* calendar = root.get();
  if (calendar != nullptr && icalcomponent_isa(calendar) != ICAL_VCALENDAR_COMPONENT) {
    calendar = icalcomponent_get_first_component(calendar, ICAL_VCALENDAR_COMPONENT);
  }
  if (calendar == nullptr) {
    return Problems{Problem{{source.file}, "is no iCalendar file (BEGIN:VCALENDAR ... END:VCALENDAR)"}};
  }
  Expanded expanded;
  Problems problems;
  std::size_t budget = kMostCalendarOccurrences;
  std::uint32_t index = 0;
  for (icalcomponent* event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event != nullptr;
       event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT), ++index) {
    const int line = index < lines.event_begins.size() ? lines.event_begins[index] : 0;
    const char* summary = icalcomponent_get_summary(event);
    expanded.summaries.emplace_back(summary != nullptr ? summary : "");
    const std::string what =
        "event" + (expanded.summaries.back().empty() ? std::string() : " \"" + expanded.summaries.back() + "\"");
    if (icalproperty* error = icalcomponent_get_first_property(event, ICAL_XLICERROR_PROPERTY)) {
      const std::string message = icalproperty_get_xlicerror(error);
      const bool in_rule = message.find("RRULE") != std::string::npos && index < lines.rrules.size();
      problems.push_back({{source.file, in_rule ? lines.rrules[index] : line, 1}, what + ": " + message});
      continue;
    }
    EventExpander expander(calendar, event, index, expanded, budget);
    if (auto problem = expander.expand()) {
      const int at = expander.rule_problem() && index < lines.rrules.size() ? lines.rrules[index] : line;
      problems.push_back({{source.file, at, 1}, what + " " + *problem});
      if (budget == 0) {
        break;
      }
    }
  }
  if (expanded.summaries.empty() && problems.empty()) {
    problems.push_back({{source.file}, "holds no event (VEVENT)"});
  }
  if (!problems.empty()) {
    return problems;
  }
  return expanded;
}

}  // namespace

bool is_calendar_file(std::string_view name) { return name.size() > 4 && name.substr(name.size() - 4) == ".ics"; }

CalendarFiles::CalendarFiles(std::vector<Source> sources) {
  for (Source& source : sources) {
    std::string name = std::filesystem::path(source.file).filename().string();
    files_.emplace(std::move(name), File{std::move(source), false, nullptr});
  }
}

CalendarFiles::~CalendarFiles() = default;

bool CalendarFiles::holds(std::string_view name) const { return files_.find(name) != files_.end(); }

const ExpandedCalendar* CalendarFiles::expanded(std::string_view name, Problems& problems) {
  const auto found = files_.find(name);
  if (found == files_.end()) {
    return nullptr;
  }
  File& file = found->second;
  if (!file.read) {
    file.read = true;
    Result<Expanded, Problems> expanded = expand_file(file.source);
    if (expanded) {
      file.expanded = std::make_unique<ExpandedCalendar>(std::move(expanded).value());
    } else {
      problems.insert(problems.end(), expanded.error().begin(), expanded.error().end());
    }
  }
  return file.expanded.get();
}

std::vector<core::CalendarOccurrence> CalendarFiles::placed(const ExpandedCalendar& calendar,
                                                            const core::TimeZone& zone) {
  std::vector<core::CalendarOccurrence> occurrences;
  occurrences.reserve(calendar.occurrences.size());
  for (const Expanded::Occurrence& occurrence : calendar.occurrences) {
    occurrences.push_back({occurrence.instants
                               ? core::LocalInterval{zone.to_local(occurrence.from), zone.to_local(occurrence.to)}
                               : core::LocalInterval{occurrence.local_from, occurrence.local_to},
                           occurrence.event});
  }
  return occurrences;
}

std::optional<core::Calendar> CalendarFiles::in_zone(std::string_view name, const core::TimeZone& zone,
                                                     Problems& problems) {
  const ExpandedCalendar* file = expanded(name, problems);
  if (file == nullptr) {
    return std::nullopt;
  }
  core::Calendar calendar;
  calendar.file = std::string(name);
  calendar.summaries = file->summaries;
  for (const core::CalendarOccurrence& occurrence : placed(*file, zone)) {
    if (occurrence.interval.to > occurrence.interval.from) {
      calendar.occurrences.push_back(occurrence);
      calendar.longest_span = std::max(calendar.longest_span, occurrence.interval.to - occurrence.interval.from);
    }
  }
  std::sort(calendar.occurrences.begin(), calendar.occurrences.end(),
            [](const core::CalendarOccurrence& a, const core::CalendarOccurrence& b) {
              return a.interval.from != b.interval.from ? a.interval.from < b.interval.from
                                                        : a.interval.to < b.interval.to;
            });
  return calendar;
}

std::optional<std::vector<core::LocalDay>> CalendarFiles::days_touched(std::string_view name,
                                                                       const core::TimeZone& zone, Problems& problems) {
  const ExpandedCalendar* file = expanded(name, problems);
  if (file == nullptr) {
    return std::nullopt;
  }
  std::vector<core::CalendarOccurrence> occurrences = placed(*file, zone);
  std::sort(occurrences.begin(), occurrences.end(),
            [](const auto& a, const auto& b) { return a.interval.from < b.interval.from; });
  // Each day once, however many occurrences touch it: at most the days
  // from the first event's start to the end of the expansion.
  std::vector<core::LocalDay> touched;
  for (const core::CalendarOccurrence& occurrence : occurrences) {
    const core::LocalDay last =
        date::floor<core::days>(std::max(occurrence.interval.from, occurrence.interval.to - core::seconds{1}));
    core::LocalDay day = date::floor<core::days>(occurrence.interval.from);
    if (!touched.empty()) {
      day = std::max(day, touched.back() + core::days{1});
    }
    for (; day <= last; day += core::days{1}) {
      touched.push_back(day);
    }
  }
  return touched;
}

}  // namespace windowguard::policy
