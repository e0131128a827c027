#include "core/time_text.hpp"

#include <array>
#include <cstdio>

namespace windowguard::core {
namespace {

std::string format_local(LocalTime local) {
  const LocalDay day = date::floor<days>(local);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<seconds> clock(local - day);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
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
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%c%02d:%02d", offset < seconds{0} ? '-' : '+', total_minutes / 60,
                total_minutes % 60);
  return format_local(LocalTime{instant.time_since_epoch() + offset}) + suffix;
}

std::string format_readable(Instant instant, const TimeZone& zone) {
  static constexpr std::array<const char*, 7> kDayNames{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const LocalTime local = zone.to_local(instant);
  const LocalDay day = date::floor<days>(local);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<seconds> clock(local - day);
  char text[48];
  std::snprintf(text, sizeof text, "%s %04d-%02u-%02u %02d:%02d", kDayNames[date::weekday(day).c_encoding()],
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()));
  std::string readable = text;
  if (clock.seconds().count() != 0) {
    std::snprintf(text, sizeof text, ":%02d", static_cast<int>(clock.seconds().count()));
    readable += text;
  }
  return readable + " " + zone.abbreviation_at(instant);
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
