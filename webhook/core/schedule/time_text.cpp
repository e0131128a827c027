#include "core/schedule/time_text.hpp"

#include <algorithm>
#include <array>

namespace windowguard::core {
namespace {

// Appends `value` zero-padded to at least `width` digits.  (Not printf: a
// denial formats several instants, on every denied request.)
void append_padded(std::string& text, int value, int width) {
  if (value < 0) {
    text += '-';
    value = -value;
  }
  std::array<char, 12> digits{};
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  text.append(static_cast<std::size_t>(std::max(width - count, 0)), '0');
  while (count > 0) {
    text += digits[--count];
  }
}

// "2024-03-10 14:05" with `date_time_separator` between date and time.
void append_date_and_minute(std::string& text, LocalDay day, const date::hh_mm_ss<seconds>& clock,
                            char date_time_separator) {
  const date::year_month_day ymd(day);
  append_padded(text, static_cast<int>(ymd.year()), 4);
  text += '-';
  append_padded(text, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
  text += '-';
  append_padded(text, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
  text += date_time_separator;
  append_padded(text, static_cast<int>(clock.hours().count()), 2);
  text += ':';
  append_padded(text, static_cast<int>(clock.minutes().count()), 2);
}

std::string format_local(LocalTime local) {
  const LocalDay day = date::floor<days>(local);
  const date::hh_mm_ss<seconds> clock(local - day);
  std::string text;
  append_date_and_minute(text, day, clock, 'T');
  text += ':';
  append_padded(text, static_cast<int>(clock.seconds().count()), 2);
  return text;
}

bool digits_at(std::string_view text, std::size_t position, std::size_t count, int& value) {
  if (position + count > text.size()) {
    return false;
  }
  value = 0;
  for (std::size_t i = position; i < position + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string format_in_zone(Instant instant, const TimeZone& zone) {
  const seconds offset = zone.offset_at(instant);
  // tz database offsets stay within a day, so both parts fit two digits.
  const minutes magnitude = std::chrono::duration_cast<minutes>(offset < seconds{0} ? -offset : offset);
  const int total_minutes = static_cast<int>(magnitude.count() % minutes{days{1}}.count());
  std::string text = format_local(LocalTime{instant.time_since_epoch() + offset});
  text += offset < seconds{0} ? '-' : '+';
  append_padded(text, total_minutes / 60, 2);
  text += ':';
  append_padded(text, total_minutes % 60, 2);
  return text;
}

void append_readable(std::string& text, Instant instant, const TimeZone& zone) {
  static constexpr std::array<const char*, 7> kDayNames{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const LocalTime local = zone.to_local(instant);
  const LocalDay day = date::floor<days>(local);
  const date::hh_mm_ss<seconds> clock(local - day);
  text += kDayNames[date::weekday(day).c_encoding()];
  text += ' ';
  append_date_and_minute(text, day, clock, ' ');
  if (clock.seconds().count() != 0) {
    text += ':';
    append_padded(text, static_cast<int>(clock.seconds().count()), 2);
  }
  text += ' ';
  text += zone.abbreviation_at(instant);
}

std::string format_utc(Instant instant) { return format_local(LocalTime{instant.time_since_epoch()}) + "Z"; }

std::optional<Instant> parse_rfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits_at(text, 0, 4, year) || text.size() < 20 || text[4] != '-' || !digits_at(text, 5, 2, month) ||
      text[7] != '-' || !digits_at(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
      !digits_at(text, 11, 2, hour) || text[13] != ':' || !digits_at(text, 14, 2, minute) || text[16] != ':' ||
      !digits_at(text, 17, 2, second)) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t position = 19;
  if (position < text.size() && text[position] == '.') {
    ++position;
    const std::size_t fraction_start = position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
      ++position;
    }
    if (position == fraction_start) {
      return std::nullopt;
    }
  }
  seconds offset{0};
  const std::string_view zone = text.substr(position);
  if (zone == "Z" || zone == "z") {
    offset = seconds{0};
  } else {
    int offset_hours = 0, offset_minutes = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !digits_at(zone, 1, 2, offset_hours) ||
        zone[3] != ':' || !digits_at(zone, 4, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset = hours{offset_hours} + minutes{offset_minutes};
    if (zone[0] == '-') {
      offset = -offset;
    }
  }
  const Instant local_as_utc = date::sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
  return local_as_utc - offset;
}

}  // namespace windowguard::core
