#include "core/schedule/cron.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace windowguard::core {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  std::array<const char*, 13> names;  // index = value; empty where a value has no name
};

constexpr std::array<FieldSpec, 5> kFields{{
    {"minute", 0, 59, {}},
    {"hour", 0, 23, {}},
    {"day-of-month", 1, 31, {}},
    {"month", 1, 12, {nullptr, "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
    {"day-of-week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}},
}};

bool equals_ignoring_case(std::string_view text, const char* name) {
  const std::string_view expected(name);
  if (text.size() != expected.size()) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != expected[i]) {
      return false;
    }
  }
  return true;
}

std::optional<int> parse_value(std::string_view text, const FieldSpec& field) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc{} && end == text.data() + text.size() && !text.empty()) {
    return value;
  }
  for (std::size_t v = 0; v < field.names.size(); ++v) {
    const char* name = field.names[v];
    if (name != nullptr && equals_ignoring_case(text, name)) {
      return static_cast<int>(v);
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) {
      return parts;
    }
    start = end + 1;
  }
}

std::string range_of(const FieldSpec& field) { return std::to_string(field.min) + "-" + std::to_string(field.max); }

std::string not_a_value(std::string_view text, const FieldSpec& field) {
  std::string message = "\"";
  message.append(text);
  message.append("\" is not a valid ").append(field.name).append(" value (").append(range_of(field)).append(")");
  return message;
}

// Parses one field into a bit per allowed value (bit index = value).
Result<std::bitset<64>> parse_field(std::string_view text, const FieldSpec& field) {
  std::bitset<64> bits;
  for (std::string_view item : split(text, ',')) {
    std::string_view range = item;
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      const std::string_view step_text = item.substr(slash + 1);
      const auto [end, error] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (step_text.empty() || error != std::errc{} || end != step_text.data() + step_text.size() || step <= 0) {
        return Problem("step \"" + std::string(step_text) + "\" in " + field.name + " field must be a positive number");
      }
    }
    int low = field.min;
    int high = field.max;
    if (range != "*") {
      const auto dash = range.find('-');
      const std::string_view low_text = range.substr(0, dash);
      const auto parsed_low = parse_value(low_text, field);
      if (!parsed_low) {
        return Problem(not_a_value(low_text, field));
      }
      low = *parsed_low;
      high = low;
      if (dash != std::string_view::npos) {
        const std::string_view high_text = range.substr(dash + 1);
        const auto parsed_high = parse_value(high_text, field);
        if (!parsed_high) {
          return Problem(not_a_value(high_text, field));
        }
        high = *parsed_high;
      } else if (step != 1) {
        high = field.max;  // "a/n" means from a to the end of the range
      }
      if (low < field.min || high > field.max) {
        return Problem(std::string(field.name) + " value out of range in \"" + std::string(item) + "\" (" +
                       range_of(field) + ")");
      }
      if (low > high) {
        return Problem(std::string(field.name) + " range \"" + std::string(range) + "\" runs backwards");
      }
    }
    for (int v = low; v <= high; v += step) {
      bits.set(static_cast<std::size_t>(v));
    }
  }
  return bits;
}

template <std::size_t N>
std::bitset<N> narrow(const std::bitset<64>& bits) {
  std::bitset<N> result;
  for (std::size_t i = 0; i < N; ++i) {
    result[i] = bits[i];
  }
  return result;
}

}  // namespace

Result<CronSchedule> CronSchedule::parse(std::string_view expression) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < expression.size()) {
    while (i < expression.size() && (expression[i] == ' ' || expression[i] == '\t')) {
      ++i;
    }
    const std::size_t start = i;
    while (i < expression.size() && expression[i] != ' ' && expression[i] != '\t') {
      ++i;
    }
    if (i > start) {
      fields.push_back(expression.substr(start, i - start));
    }
  }
  if (fields.size() != 5) {
    return Problem("has " + std::to_string(fields.size()) +
                   " fields; expected 5 (minute hour day-of-month month day-of-week)");
  }
  std::array<std::bitset<64>, 5> bits{};
  for (std::size_t f = 0; f < 5; ++f) {
    auto field = parse_field(fields[f], kFields[f]);
    if (!field) {
      return field.error();
    }
    bits[f] = *field;
  }
  CronSchedule schedule;
  schedule.expression_ = std::string(expression);
  schedule.days_of_month_ = narrow<32>(bits[2]);
  schedule.months_ = narrow<13>(bits[3]);
  if (bits[4].test(7)) {
    bits[4].set(0);  // 7 is Sunday too
  }
  schedule.days_of_week_ = narrow<7>(bits[4]);
  for (int hour = 0; hour < 24; ++hour) {
    if (bits[1].test(static_cast<std::size_t>(hour))) {
      schedule.hour_list_.push_back(hour);
    }
  }
  for (int minute = 0; minute < 60; ++minute) {
    if (bits[0].test(static_cast<std::size_t>(minute))) {
      schedule.minute_list_.push_back(minute);
    }
  }
  for (int hour : schedule.hour_list_) {
    for (int minute : schedule.minute_list_) {
      schedule.times_of_day_.push_back(hour * 60 + minute);
    }
  }
  schedule.day_of_month_unrestricted_ = fields[2].front() == '*';
  schedule.day_of_week_unrestricted_ = fields[4].front() == '*';
  if (!schedule.can_match_some_day()) {
    return Problem("never matches a real date");
  }
  return schedule;
}

bool CronSchedule::matches_day(date::year_month_day day) const {
  if (!months_.test(static_cast<unsigned>(day.month()))) {
    return false;
  }
  const bool day_of_month = days_of_month_.test(static_cast<unsigned>(day.day()));
  const bool day_of_week = days_of_week_.test(date::weekday(day).c_encoding());
  if (day_of_month_unrestricted_ || day_of_week_unrestricted_) {
    return day_of_month && day_of_week;
  }
  return day_of_month || day_of_week;
}

bool CronSchedule::can_match_some_day() const {
  // Every month/day combination occurs within 28 years (leap years included),
  // and so does every weekday of it; checking one leap year and the day-of-month
  // bits is enough: a day-of-week restriction alone always matches some day.
  constexpr std::array<unsigned, 13> kDaysInLeapYearMonth{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!day_of_month_unrestricted_ && !day_of_week_unrestricted_ && days_of_week_.any()) {
    return months_.any();
  }
  for (unsigned month = 1; month <= 12; ++month) {
    if (!months_.test(month)) {
      continue;
    }
    for (unsigned day = 1; day <= kDaysInLeapYearMonth[month]; ++day) {
      if (days_of_month_.test(day)) {
        return days_of_week_.any();
      }
    }
  }
  return false;
}

std::optional<LocalTime> CronSchedule::first_fire_at_or_after(LocalTime from, LocalDay last_day) const {
  LocalDay day = date::floor<days>(from);
  // On the first day, the first matching minute at or after `from`; on the
  // days after, the day's first.
  auto earliest = date::ceil<std::chrono::minutes>(from - day).count();
  while (day <= last_day) {
    const date::year_month_day ymd(day);
    if (!months_.test(static_cast<unsigned>(ymd.month()))) {
      day = LocalDay{(ymd.year() / ymd.month() / 1) + date::months{1}};
    } else {
      if (matches_day(ymd)) {
        const auto time = std::lower_bound(times_of_day_.begin(), times_of_day_.end(), earliest);
        if (time != times_of_day_.end()) {
          return day + std::chrono::minutes{*time};
        }
      }
      day += days{1};
    }
    earliest = 0;
  }
  return std::nullopt;
}

std::optional<LocalTime> CronSchedule::last_fire_at_or_before(LocalTime until, LocalDay first_day) const {
  LocalDay day = date::floor<days>(until);
  // On the first day, the last matching minute at or before `until`; on the
  // days before, the day's last.
  auto latest = date::floor<std::chrono::minutes>(until - day).count();
  constexpr auto kLastMinuteOfDay = 24 * 60 - 1;
  while (day >= first_day) {
    const date::year_month_day ymd(day);
    if (!months_.test(static_cast<unsigned>(ymd.month()))) {
      day = LocalDay{ymd.year() / ymd.month() / 1} - days{1};
    } else {
      if (matches_day(ymd)) {
        const auto after = std::upper_bound(times_of_day_.begin(), times_of_day_.end(), latest);
        if (after != times_of_day_.begin()) {
          return day + std::chrono::minutes{*(after - 1)};
        }
      }
      day -= days{1};
    }
    latest = kLastMinuteOfDay;
  }
  return std::nullopt;
}

}  // namespace windowguard::core
