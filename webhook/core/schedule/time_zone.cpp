#include "core/schedule/time_zone.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace windowguard::core {
namespace {

// The span the offset tables cover: far enough back for validity dates and
// far enough ahead for any window's search horizon.
const Instant kTableFrom = date::sys_days{date::year{1970} / 1 / 1};
const Instant kTableUntil = date::sys_days{date::year{2100} / 1 / 1};

}  // namespace

std::shared_ptr<const TimeZone::OffsetTable> TimeZone::table_for(const date::time_zone* zone) {
  static std::mutex mutex;
  static std::map<const date::time_zone*, std::shared_ptr<const OffsetTable>> tables;
  const std::lock_guard lock(mutex);
  auto& table = tables[zone];
  if (table) {
    return table;
  }
  auto built = std::make_shared<OffsetTable>();
  for (Instant at = kTableFrom; at < kTableUntil;) {
    const date::sys_info info = zone->get_info(at);
    // A period begins in local time at its start with the larger of the
    // offsets before and after it: local times in a gap (before: smaller)
    // and in an overlap (before: larger) both belong to the earlier period,
    // which is RFC 5545's "offset in force before the transition".
    const seconds before = built->offsets.empty() ? info.offset : built->offsets.back();
    built->begins.push_back(at);
    built->offsets.push_back(info.offset);
    built->abbreviations.push_back(info.abbrev);
    built->local_starts.push_back(LocalTime{at.time_since_epoch() + std::max(before, info.offset)});
    built->longest_offset_change = std::max(built->longest_offset_change, abs(info.offset - before));
    at = std::max(info.end, at + seconds{1});
  }
  built->covers_until = kTableUntil;
  table = std::move(built);
  return table;
}

TimeZone TimeZone::utc() { return TimeZone(nullptr, minutes{0}, "UTC"); }

TimeZone TimeZone::iana(const date::time_zone* zone) { return TimeZone(zone, minutes{0}, std::string(zone->name())); }

TimeZone TimeZone::fixed_offset(minutes offset, std::string name) { return TimeZone(nullptr, offset, std::move(name)); }

Instant TimeZone::to_instant(LocalTime local) const {
  if (zone_ == nullptr) {
    return Instant{local.time_since_epoch() - fixed_offset_};
  }
  const OffsetTable& table = *table_;
  if (local >= table.local_starts.front() && local.time_since_epoch() < table.covers_until.time_since_epoch()) {
    const auto period = std::upper_bound(table.local_starts.begin(), table.local_starts.end(), local) - 1;
    return Instant{local.time_since_epoch() -
                   table.offsets[static_cast<std::size_t>(period - table.local_starts.begin())]};
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
  const OffsetTable& table = *table_;
  if (instant >= table.begins.front() && instant < table.covers_until) {
    const auto period = std::upper_bound(table.begins.begin(), table.begins.end(), instant) - 1;
    return table.offsets[static_cast<std::size_t>(period - table.begins.begin())];
  }
  return zone_->get_info(instant).offset;
}

seconds TimeZone::offset_change_near(LocalTime local) const {
  if (zone_ == nullptr) {
    return seconds{0};
  }
  const OffsetTable& table = *table_;
  // Local times are within a day of their instants: three days of instants
  // cover two of local time.
  constexpr days kNear{3};
  const Instant around{local.time_since_epoch()};
  if (around - kNear < table.begins.front() || around + kNear >= table.covers_until) {
    return table.longest_offset_change;
  }
  seconds change{0};
  const auto first = std::upper_bound(table.begins.begin(), table.begins.end(), around - kNear);
  const auto last = std::upper_bound(first, table.begins.end(), around + kNear);
  for (auto begin = first; begin != last; ++begin) {
    const auto period = static_cast<std::size_t>(begin - table.begins.begin());
    change = std::max(change, abs(table.offsets[period] - table.offsets[period - 1]));
  }
  return change;
}

std::string TimeZone::abbreviation_at(Instant instant) const {
  if (zone_ == nullptr) {
    return name_;
  }
  const OffsetTable& table = *table_;
  if (instant >= table.begins.front() && instant < table.covers_until) {
    const auto period = std::upper_bound(table.begins.begin(), table.begins.end(), instant) - 1;
    return table.abbreviations[static_cast<std::size_t>(period - table.begins.begin())];
  }
  return zone_->get_info(instant).abbrev;
}

LocalTime TimeZone::to_local(Instant instant) const {
  return LocalTime{instant.time_since_epoch() + offset_at(instant)};
}

}  // namespace windowguard::core
