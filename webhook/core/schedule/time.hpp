#pragma once
// The core's vocabulary for time: instants are UTC seconds, local times are
// wall-clock seconds in some window's zone.  Nothing here reads a clock.
#include <chrono>

#include <date/date.h>

namespace windowguard::core {

using Instant = date::sys_seconds;
using LocalTime = date::local_seconds;
using LocalDay = date::local_days;
using date::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

}  // namespace windowguard::core
