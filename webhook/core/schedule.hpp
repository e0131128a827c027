#pragma once
// The schedule engine: a window's recurrences in its zone, bounded by its
// validity, evaluated at instants.  Pure and clock-free.
#include <optional>
#include <vector>

#include "core/recurrence.hpp"
#include "core/time_zone.hpp"

namespace windowguard::core {

// One occurrence as a half-open interval of instants [from, to).
struct Occurrence {
  Instant from;
  Instant to;
  friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

class Schedule {
 public:
  // Validity bounds are local times in `zone`; `valid_until` is exclusive.
  Schedule(TimeZone zone, std::vector<Recurrence> recurrences, std::optional<LocalTime> valid_from,
           std::optional<LocalTime> valid_until);

  const TimeZone& zone() const { return zone_; }
  const std::vector<Recurrence>& recurrences() const { return recurrences_; }

  // Whether the window exists at `t` (inside its validity).
  bool valid_at(Instant t) const { return t >= valid_from_ && t < valid_until_; }

  // Every non-empty occurrence that overlaps [begin, end), clipped to the
  // validity, sorted by start then end.
  std::vector<Occurrence> occurrences_overlapping(Instant begin, Instant end) const;

  // The occurrence containing `t` that ends last, if the window is active at `t`.
  std::optional<Occurrence> occurrence_at(Instant t) const;

  // The first instant after `t` at which the window turns active or inactive,
  // or enters or leaves its validity.  Looks no further than `limit` (and at
  // most kSearchHorizon ahead): a change beyond it may be missed.
  std::optional<Instant> next_change_after(Instant t, std::optional<Instant> limit = std::nullopt) const;

  static constexpr days kSearchHorizon{3660};

 private:
  TimeZone zone_;
  std::vector<Recurrence> recurrences_;
  Instant valid_from_;
  Instant valid_until_;
  std::vector<seconds> longest_spans_;  // per recurrence: how far back an occurrence may start
};

}  // namespace windowguard::core
