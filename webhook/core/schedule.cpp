#include "core/schedule.hpp"

#include <algorithm>

namespace windowguard::core {
namespace {

// Local and UTC calendars differ by less than a day (offsets are within ±26h
// only in theory; ±14h in the tz database), so one day of margin on each side
// of a local range catches every occurrence.
constexpr days kZoneMargin{2};

}  // namespace

Schedule::Schedule(TimeZone zone, std::vector<Recurrence> recurrences, std::optional<LocalTime> valid_from,
                   std::optional<LocalTime> valid_until)
    : zone_(std::move(zone)),
      recurrences_(std::move(recurrences)),
      valid_from_(valid_from ? zone_.to_instant(*valid_from) : Instant::min()),
      valid_until_(valid_until ? zone_.to_instant(*valid_until) : Instant::max()) {
  longest_spans_.reserve(recurrences_.size());
  for (const Recurrence& recurrence : recurrences_) {
    longest_spans_.push_back(longest_local_span(recurrence));
  }
}

std::vector<Occurrence> Schedule::occurrences_overlapping(Instant begin, Instant end) const {
  begin = std::max(begin, valid_from_);
  end = std::min(end, valid_until_);
  std::vector<Occurrence> result;
  if (begin >= end) {
    return result;
  }
  const LocalTime local_begin = zone_.to_local(begin);
  const LocalDay last = date::floor<days>(zone_.to_local(end)) + kZoneMargin;
  std::vector<LocalInterval> local;
  for (std::size_t i = 0; i < recurrences_.size(); ++i) {
    const LocalDay first = date::floor<days>(local_begin - longest_spans_[i]) - kZoneMargin;
    append_local_occurrences(recurrences_[i], first, last, local);
  }
  for (const LocalInterval& interval : local) {
    const Instant from = std::max(zone_.to_instant(interval.from), valid_from_);
    const Instant to = std::min(zone_.to_instant(interval.to), valid_until_);
    if (from < to && from < end && to > begin) {
      result.push_back({from, to});
    }
  }
  std::sort(result.begin(), result.end(),
            [](const Occurrence& a, const Occurrence& b) { return a.from != b.from ? a.from < b.from : a.to < b.to; });
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

std::optional<Occurrence> Schedule::occurrence_at(Instant t) const {
  std::optional<Occurrence> latest;
  for (const Occurrence& occurrence : occurrences_overlapping(t, t + seconds{1})) {
    if (!latest || occurrence.to > latest->to) {
      latest = occurrence;
    }
  }
  return latest;
}

std::optional<Instant> Schedule::next_change_after(Instant t, std::optional<Instant> limit) const {
  std::optional<Instant> validity_change;
  if (valid_from_ > t) {
    validity_change = valid_from_;
  } else if (valid_until_ > t && valid_until_ != Instant::max()) {
    validity_change = valid_until_;
  }
  const Instant search_end = std::min(t + kSearchHorizon, limit.value_or(Instant::max()));
  seconds horizon = std::min<seconds>(days{8}, std::max<seconds>(search_end - t, seconds{1}));
  while (true) {
    const Instant window_end = std::min<Instant>(t + horizon, search_end);
    // Merge the occurrences reachable from t: if they cover t, the change is
    // where their union ends; otherwise it is the next start.
    Instant covered_until = t;
    std::optional<Instant> next_start;
    for (const Occurrence& occurrence : occurrences_overlapping(t, window_end)) {
      if (occurrence.from <= covered_until) {
        covered_until = std::max(covered_until, occurrence.to);
      } else {
        next_start = occurrence.from;
        break;
      }
    }
    std::optional<Instant> change;
    if (covered_until > t) {
      if (covered_until < window_end) {
        change = covered_until;
      }
    } else {
      change = next_start;
    }
    if (change || (validity_change && *validity_change <= window_end)) {
      if (!change || (validity_change && *validity_change < *change)) {
        return validity_change;
      }
      return change;
    }
    if (window_end == search_end) {
      return validity_change;
    }
    horizon *= 4;
  }
}

}  // namespace windowguard::core
