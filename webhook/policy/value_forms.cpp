#include "policy/value_forms.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "core/schedule/time_text.hpp"

namespace windowguard::policy {
namespace {

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

// Matches a three-letter or full English name, case-insensitively.
template <std::size_t N>
std::optional<unsigned> find_name(std::string_view text, const std::array<std::string_view, N>& names) {
  for (unsigned i = 0; i < N; ++i) {
    if (same_name(text, names[i]) || same_name(text, names[i].substr(0, 3))) {
      return i;
    }
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 7> kWeekdays{"sunday",   "monday", "tuesday", "wednesday",
                                                    "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 12> kMonths{"january",   "february", "march",    "april",
                                                   "may",       "june",     "july",     "august",
                                                   "september", "october",  "november", "december"};

// Splits "<head> <HH:MM>" at its last space.
std::optional<std::pair<std::string_view, std::string_view>> split_time(std::string_view text) {
  const auto space = text.rfind(' ');
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view head = text.substr(0, space);
  while (!head.empty() && head.back() == ' ') {
    head.remove_suffix(1);
  }
  return std::make_pair(head, text.substr(space + 1));
}

// "Day HH:MM" or "D HH:MM": one word before the time, so that "Fri 17:00 PM"
// is reported whole rather than as the day "Fri 17:00".
std::optional<std::pair<std::string_view, std::string_view>> split_word_and_time(std::string_view text) {
  auto parts = split_time(text);
  if (parts && parts->first.find(' ') != std::string_view::npos) {
    return std::nullopt;
  }
  return parts;
}

Result<date::year_month_day> parse_date(std::string_view text) {
  const std::string expected = in_quotes(text) + " is not a date; expected YYYY-MM-DD";
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
      !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
    return Problem(expected);
  }
  const date::year_month_day day{date::year{to_int(text.substr(0, 4))},
                                 date::month{static_cast<unsigned>(to_int(text.substr(5, 2)))},
                                 date::day{static_cast<unsigned>(to_int(text.substr(8, 2)))}};
  if (!day.ok()) {
    return Problem(in_quotes(text) + " is not a real calendar date");
  }
  return day;
}

}  // namespace

bool same_name(std::string_view text, std::string_view name) {
  return text.size() == name.size() && std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

Result<core::minutes> parse_clock_time(std::string_view text) {
  const auto colon = text.find(':');
  const std::string expected = in_quotes(text) + " is not a time of day; expected HH:MM between 00:00 and 23:59";
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3 ||
      !all_digits(text.substr(0, colon)) || !all_digits(text.substr(colon + 1))) {
    return Problem(expected);
  }
  const int hour = to_int(text.substr(0, colon));
  const int minute = to_int(text.substr(colon + 1));
  if (hour > 23 || minute > 59) {
    return Problem(expected);
  }
  return core::hours{hour} + core::minutes{minute};
}

Result<date::weekday> parse_weekday(std::string_view text) {
  if (const auto index = find_name(text, kWeekdays)) {
    return date::weekday{*index};
  }
  return Problem(in_quotes(text) + " is not a day of the week; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun");
}

Result<core::WeekdayTime> parse_weekday_time(std::string_view text) {
  const auto parts = split_word_and_time(text);
  if (!parts) {
    return Problem(in_quotes(text) + " is not a day and time; expected \"Day HH:MM\", e.g. \"Sat 00:00\"");
  }
  const auto day = parse_weekday(parts->first);
  if (!day) {
    return day.error();
  }
  const auto time = parse_clock_time(parts->second);
  if (!time) {
    return time.error();
  }
  return core::WeekdayTime{*day, *time};
}

Result<core::MonthDayTime> parse_month_day_time(std::string_view text) {
  const auto parts = split_word_and_time(text);
  if (!parts) {
    return Problem(in_quotes(text) +
                   " is not a day of the month and time; expected \"D HH:MM\", e.g. \"1 22:30\" or \"-1 22:30\"");
  }
  const std::string_view day_text = parts->first;
  const bool negative = !day_text.empty() && day_text.front() == '-';
  const std::string_view digits = negative ? day_text.substr(1) : day_text;
  const int magnitude = all_digits(digits) && digits.size() <= 2 ? to_int(digits) : 0;
  if (magnitude < 1 || magnitude > 31) {
    return Problem("day of the month " + in_quotes(day_text) +
                   " is out of range; use 1 to 31, or -1 (the last day) to -31 to count from the month's end");
  }
  const auto time = parse_clock_time(parts->second);
  if (!time) {
    return time.error();
  }
  return core::MonthDayTime{negative ? -magnitude : magnitude, *time};
}

Result<core::YearDayTime> parse_year_day_time(std::string_view text) {
  const auto parts = split_time(text);
  const std::string expected =
      in_quotes(text) + " is not a date in the year and time; expected \"Mon D HH:MM\", e.g. \"Dec 20 00:00\"";
  if (!parts) {
    return Problem(expected);
  }
  const auto space = parts->first.find(' ');
  if (space == std::string_view::npos) {
    return Problem(expected);
  }
  const std::string_view month_text = parts->first.substr(0, space);
  const std::string_view day_text = parts->first.substr(space + 1);
  const auto month_index = find_name(month_text, kMonths);
  if (!month_index) {
    return Problem(in_quotes(month_text) + " is not a month; expected Jan, Feb, ... Dec");
  }
  const date::month month{*month_index + 1};
  if (!all_digits(day_text) || day_text.size() > 2) {
    return Problem(expected);
  }
  const date::day day{static_cast<unsigned>(to_int(day_text))};
  // Any year that has Feb 29 will do: a leap year accepts every real date.
  if (!date::year_month_day(date::year{2000}, month, day).ok()) {
    return Problem(in_quotes(parts->first) + " is not a day of the year");
  }
  const auto time = parse_clock_time(parts->second);
  if (!time) {
    return time.error();
  }
  return core::YearDayTime{month, day, *time};
}

Result<core::LocalTime> parse_local_date_time(std::string_view text) {
  const std::string expected = in_quotes(text) + " is not a date and time; expected \"YYYY-MM-DD HH:MM\"";
  if (text.size() < 15 || (text[10] != ' ' && text[10] != 'T')) {
    return Problem(expected);
  }
  const auto day = parse_date(text.substr(0, 10));
  if (!day) {
    return day.error();
  }
  const auto time = parse_clock_time(text.substr(11));
  if (!time) {
    return time.error();
  }
  return core::LocalTime{core::LocalDay{*day} + *time};
}

Result<DateOrDateTime> parse_date_or_date_time(std::string_view text) {
  if (text.size() == 10) {
    const auto day = parse_date(text);
    if (!day) {
      return day.error();
    }
    return DateOrDateTime{core::LocalDay{*day}, true};
  }
  const auto time = parse_local_date_time(text);
  if (!time) {
    return Problem(in_quotes(text) +
                   " is not a date or date and time; expected \"YYYY-MM-DD\" or \"YYYY-MM-DD HH:MM\"");
  }
  return DateOrDateTime{*time, false};
}

Result<core::Instant> parse_instant(std::string_view text) {
  if (const std::optional<core::Instant> instant = core::parse_rfc3339(text)) {
    return *instant;
  }
  return Problem("\"" + std::string(text) +
                 "\" is not an RFC 3339 instant; expected a form such as \"2026-12-05T18:00:00Z\" or "
                 "\"2026-12-05T19:00:00+01:00\"");
}

Result<core::seconds> parse_go_duration(std::string_view text) {
  const std::string expected =
      in_quotes(text) + " is not a duration; expected a number with a unit h, m or s, combined like \"1h30m\"";
  if (text.empty()) {
    return Problem(expected);
  }
  core::seconds total{0};
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ++i;
    }
    if (i == start || i == text.size() || i - start > 7) {
      return Problem(expected);
    }
    const long long amount = to_int(text.substr(start, i - start));
    switch (text[i]) {
      case 'h':
        total += core::hours{amount};
        break;
      case 'm':
        total += core::minutes{amount};
        break;
      case 's':
        total += core::seconds{amount};
        break;
      default:
        return Problem(expected);
    }
    ++i;
  }
  return total;
}

bool is_offset_form(std::string_view text) { return !text.empty() && (text.front() == '+' || text.front() == '-'); }

Result<core::minutes> parse_fixed_offset(std::string_view text) {
  const std::string expected =
      in_quotes(text) + " is not a UTC offset; expected +HH:MM or -HH:MM between -14:00 and +14:00";
  if (text.size() != 6 || !is_offset_form(text) || text[3] != ':' || !all_digits(text.substr(1, 2)) ||
      !all_digits(text.substr(4, 2))) {
    return Problem(expected);
  }
  const int hours = to_int(text.substr(1, 2));
  const int minutes = to_int(text.substr(4, 2));
  if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0)) {
    return Problem(expected);
  }
  const core::minutes offset = core::hours{hours} + core::minutes{minutes};
  return text.front() == '-' ? -offset : offset;
}

}  // namespace windowguard::policy
