#include "core/schedule/recurrence.hpp"

#include <algorithm>

namespace windowguard::core {
namespace {

constexpr days kLongestMonth{31};
constexpr days kLongestYear{366};

// Emits [start, end) where end is `to` on the start's day, or on the day after
// when `to` is not later than `from` (a window that wraps past midnight).
void append_within_day_or_next(LocalDay day, minutes from, minutes to, std::vector<LocalInterval>& out) {
  const LocalTime start = day + from;
  const LocalTime end = (to > from ? day : day + days{1}) + to;
  out.push_back({start, end});
}

LocalDay month_day(date::year_month month, int day) {
  const auto last = static_cast<int>(
      static_cast<unsigned>(date::year_month_day_last(month.year(), date::month_day_last(month.month())).day()));
  const int clamped = day > 0 ? std::min(day, last) : std::max(last + day + 1, 1);
  return LocalDay{date::year_month_day(month.year(), month.month(), date::day(static_cast<unsigned>(clamped)))};
}

LocalDay year_day(date::year year, date::month month, date::day day) {
  date::year_month_day ymd(year, month, day);
  if (!ymd.ok()) {  // Feb 29 in a common year
    ymd = date::year_month_day_last(year, date::month_day_last(month));
  }
  return LocalDay{ymd};
}

struct Expander {
  LocalDay first;
  LocalDay last;
  std::vector<LocalInterval>& out;

  void operator()(const Once& once) const {
    const LocalDay start_day = date::floor<days>(once.from);
    if (start_day >= first && start_day <= last) {
      out.push_back({once.from, once.to});
    }
  }

  void operator()(const Daily& daily) const {
    for (LocalDay day = first; day <= last; day += days{1}) {
      append_within_day_or_next(day, daily.from, daily.to, out);
    }
  }

  void operator()(const Weekly& weekly) const {
    for (LocalDay day = first; day <= last; day += days{1}) {
      if (weekly.days.test(date::weekday(day).c_encoding())) {
        append_within_day_or_next(day, weekly.from, weekly.to, out);
      }
    }
  }

  void operator()(const WeeklyRange& range) const {
    days length = range.to.day - range.from.day;  // 0..6
    if (length == days{0} && range.to.time <= range.from.time) {
      length = days{7};
    }
    for (LocalDay day = first + (range.from.day - date::weekday(first)); day <= last; day += days{7}) {
      out.push_back({day + range.from.time, day + length + range.to.time});
    }
  }

  void operator()(const Monthly& monthly) const {
    const date::year_month first_month = date::year_month_day(first).year() / date::year_month_day(first).month();
    const date::year_month last_month = date::year_month_day(last).year() / date::year_month_day(last).month();
    for (date::year_month month = first_month; month <= last_month; month += date::months{1}) {
      const LocalDay start_day = month_day(month, monthly.from.day);
      if (start_day < first || start_day > last) {
        continue;
      }
      const LocalTime start = start_day + monthly.from.time;
      LocalTime end = month_day(month, monthly.to.day) + monthly.to.time;
      if (end <= start) {
        end = month_day(month + date::months{1}, monthly.to.day) + monthly.to.time;
      }
      out.push_back({start, end});
    }
  }

  void operator()(const Yearly& yearly) const {
    for (date::year year = date::year_month_day(first).year(); year <= date::year_month_day(last).year(); ++year) {
      const LocalDay start_day = year_day(year, yearly.from.month, yearly.from.day);
      if (start_day < first || start_day > last) {
        continue;
      }
      const LocalTime start = start_day + yearly.from.time;
      LocalTime end = year_day(year, yearly.to.month, yearly.to.day) + yearly.to.time;
      if (end <= start) {
        end = year_day(year + date::years{1}, yearly.to.month, yearly.to.day) + yearly.to.time;
      }
      out.push_back({start, end});
    }
  }

  void operator()(const Cron& cron) const {
    for (LocalDay day = first; day <= last; day += days{1}) {
      if (!cron.schedule.matches_day(date::year_month_day(day))) {
        continue;
      }
      for (int hour : cron.schedule.hours()) {
        for (int minute : cron.schedule.minutes()) {
          const LocalTime start = day + hours{hour} + minutes{minute};
          out.push_back({start, start + cron.duration});
        }
      }
    }
  }

  void operator()(const Calendar& calendar) const {
    const LocalTime end = LocalTime{last + days{1}};
    for (auto occurrence = calendar.first_starting_from(LocalTime{first});
         occurrence != calendar.occurrences.end() && occurrence->interval.from < end; ++occurrence) {
      out.push_back(occurrence->interval);
    }
  }
};

struct LongestSpan {
  seconds operator()(const Once& once) const { return once.to - once.from; }
  seconds operator()(const Daily&) const { return days{1}; }
  seconds operator()(const Weekly&) const { return days{1}; }
  seconds operator()(const WeeklyRange&) const { return days{7}; }
  seconds operator()(const Monthly&) const { return 2 * kLongestMonth; }
  seconds operator()(const Yearly&) const { return 2 * kLongestYear; }
  seconds operator()(const Cron& cron) const { return cron.duration; }
  seconds operator()(const Calendar& calendar) const { return calendar.longest_span; }
};

}  // namespace

std::vector<CalendarOccurrence>::const_iterator Calendar::first_starting_from(LocalTime start) const {
  return std::lower_bound(occurrences.begin(), occurrences.end(), start,
                          [](const CalendarOccurrence& each, LocalTime at) { return each.interval.from < at; });
}

void append_local_occurrences(const Recurrence& recurrence, LocalDay first, LocalDay last,
                              std::vector<LocalInterval>& out) {
  std::visit(Expander{first, last, out}, recurrence);
}

seconds longest_local_span(const Recurrence& recurrence) { return std::visit(LongestSpan{}, recurrence); }

}  // namespace windowguard::core
