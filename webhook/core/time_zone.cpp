#include "core/time_zone.hpp"

namespace windowguard::core {

TimeZone TimeZone::utc() { return TimeZone(nullptr, minutes{0}, "UTC"); }

TimeZone TimeZone::iana(const date::time_zone* zone) { return TimeZone(zone, minutes{0}, std::string(zone->name())); }

TimeZone TimeZone::fixed_offset(minutes offset, std::string name) { return TimeZone(nullptr, offset, std::move(name)); }

Instant TimeZone::to_instant(LocalTime local) const {
  if (zone_ == nullptr) {
    return Instant{local.time_since_epoch() - fixed_offset_};
  }
  // For a nonexistent or ambiguous local time, `first` describes the period
  // before the transition, whose offset is the one RFC 5545 says to use.
  const date::local_info info = zone_->get_info(local);
  return Instant{local.time_since_epoch() - info.first.offset};
}

seconds TimeZone::offset_at(Instant instant) const {
  if (zone_ == nullptr) {
    return fixed_offset_;
  }
  return zone_->get_info(instant).offset;
}

std::string TimeZone::abbreviation_at(Instant instant) const {
  if (zone_ == nullptr) {
    return name_;
  }
  return zone_->get_info(instant).abbrev;
}

LocalTime TimeZone::to_local(Instant instant) const {
  return LocalTime{instant.time_since_epoch() + offset_at(instant)};
}

}  // namespace windowguard::core
