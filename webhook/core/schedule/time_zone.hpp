#pragma once
#include <memory>
#include <string>
#include <vector>

#include <date/tz.h>

#include "core/schedule/time.hpp"

namespace windowguard::core {

// A window's time zone: an IANA zone from the tz database, or a fixed UTC offset.
class TimeZone {
 public:
  static TimeZone utc();
  static TimeZone iana(const date::time_zone* zone);
  static TimeZone fixed_offset(minutes offset, std::string name);

  const std::string& name() const { return name_; }

  // Local wall time -> instant, by RFC 5545's rules (as java.time and Python's
  // zoneinfo): a time inside a DST gap moves forward by the gap's length, a time
  // that occurs twice means the earlier instant.  Both are "use the offset in
  // force before the transition".
  Instant to_instant(LocalTime local) const;
  LocalTime to_local(Instant instant) const;
  seconds offset_at(Instant instant) const;
  // The largest change of UTC offset, either way, at a transition within two
  // days of `local` (none for a fixed offset, and none for most local times).
  // Local times closer than this may map to instants in the other order: a
  // time in a DST gap moves forward past times just after it, and one in an
  // overlap maps back before times just before it.
  seconds offset_change_near(LocalTime local) const;
  // The largest such change anywhere.
  seconds longest_offset_change() const { return table_ ? table_->longest_offset_change : seconds{0}; }
  // "PST", "CEST", "+0545" (as the tz database names it); a fixed offset's own name.
  std::string abbreviation_at(Instant instant) const;

 private:
  // The zone's UTC offsets over a span of years, read once from the tz
  // library and shared by every window in that zone: deciding a request then
  // costs binary searches, not tz-library calls (each allocates).  Outside the
  // span the tz library is asked directly.
  struct OffsetTable {
    std::vector<Instant> begins;             // when each period starts
    std::vector<seconds> offsets;            // its UTC offset
    std::vector<std::string> abbreviations;  // its abbreviation ("CET")
    std::vector<LocalTime> local_starts;     // its first local time that maps into it (RFC 5545 rule)
    Instant covers_until;
    seconds longest_offset_change{0};
  };
  static std::shared_ptr<const OffsetTable> table_for(const date::time_zone* zone);

  TimeZone(const date::time_zone* zone, minutes offset, std::string name)
      : zone_(zone), fixed_offset_(offset), name_(std::move(name)), table_(zone ? table_for(zone) : nullptr) {}

  const date::time_zone* zone_;  // null for a fixed offset
  minutes fixed_offset_;
  std::string name_;
  std::shared_ptr<const OffsetTable> table_;
};

}  // namespace windowguard::core
