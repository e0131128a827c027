#include "core/schedule/time_text.hpp"

#include <algorithm>
#include <array>

namespace windowguard::core {
namespace {

// Appends `value` zero-padded to at least `width` digits.  (Not printf: a
// denial formats several instants, on every denied request.)
// The digits of `value`, zero-padded to `width`, after a '-' when negative;
// written into a buffer and appended once: messages and pages write many.
void append_padded(std::string& text, int value, int width) {
  std::array<char, 24> buffer{};
  char* const end = buffer.data() + buffer.size();
  char* start = end;
  auto magnitude = static_cast<unsigned>(value < 0 ? -static_cast<long long>(value) : value);
  do {
    *--start = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  while (end - start < width) {
    *--start = '0';
  }
  if (value < 0) {
    *--start = '-';
  }
  text.append(start, end);
}

// "2024-06-20T20:00" (or with ' '), appended at once for a year of four digits.
void append_date_and_minute(std::string& text, LocalDay day, const date::hh_mm_ss<seconds>& clock,
                            char date_time_separator) {
  const date::year_month_day ymd(day);
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    append_padded(text, year, 4);
    text += '-';
    append_padded(text, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    text += '-';
    append_padded(text, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    text += date_time_separator;
    append_padded(text, static_cast<int>(clock.hours().count()), 2);
    text += ':';
    append_padded(text, static_cast<int>(clock.minutes().count()), 2);
    return;
  }
  const auto two = [](char* at, unsigned value) {
    at[0] = static_cast<char>('0' + value / 10);
    at[1] = static_cast<char>('0' + value % 10);
  };
  std::array<char, 16> buffer{};
  two(buffer.data(), static_cast<unsigned>(year) / 100);
  two(buffer.data() + 2, static_cast<unsigned>(year) % 100);
  buffer[4] = '-';
  two(buffer.data() + 5, static_cast<unsigned>(ymd.month()));
  buffer[7] = '-';
  two(buffer.data() + 8, static_cast<unsigned>(ymd.day()));
  buffer[10] = date_time_separator;
  two(buffer.data() + 11, static_cast<unsigned>(clock.hours().count()));
  buffer[13] = ':';
  two(buffer.data() + 14, static_cast<unsigned>(clock.minutes().count()));
  text.append(buffer.data(), buffer.size());
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
