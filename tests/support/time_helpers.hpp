#pragma once
// Fixed instants and local times for tests: never today's date.
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/schedule/cron.hpp"
#include "core/schedule/time_text.hpp"
#include "core/schedule/time_zone.hpp"

namespace windowguard::testing {

inline core::Instant utc(std::string_view rfc3339) {
  const auto instant = core::parse_rfc3339(rfc3339);
  if (!instant) {
    throw std::invalid_argument("bad instant in test: " + std::string(rfc3339));
  }
  return *instant;
}

inline core::LocalTime local(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  return core::LocalDay{date::year{year} / date::month{month} / date::day{day}} + core::hours{hour} +
         core::minutes{minute};
}

// The local time whose wall clock reads as `at` does in UTC: where a window
// in the UTC zone starts or ends at a given instant.
inline core::LocalTime local_of(core::Instant at) { return core::LocalTime{at.time_since_epoch()}; }

inline core::TimeZone zone(const char* name) { return core::TimeZone::iana(date::locate_zone(name)); }

inline core::minutes clock(int hour, int minute = 0) { return core::hours{hour} + core::minutes{minute}; }

inline core::CronSchedule cron(const char* expression) { return core::CronSchedule::parse(expression).value(); }

}  // namespace windowguard::testing
