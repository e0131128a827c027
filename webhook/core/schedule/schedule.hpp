#pragma once
// The schedule engine: a window's recurrences in its zone, bounded by its
// validity, evaluated at instants.  Pure and clock-free.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/schedule/recurrence.hpp"
#include "core/schedule/time_zone.hpp"

namespace windowguard::core {

// One occurrence as a half-open interval of instants [from, to).
struct Occurrence {
  Instant from;
  Instant to;
  friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

// The work an evaluation did, counted by the engine rather than timed, so
// that its bounds can be tested.
struct EvaluationCost {
  std::size_t window_changes = 0;  // window states a decision read, one per window and instant
  std::size_t expansions = 0;      // occurrences (cron firings included) generated to compute them
};

// A window's schedule at one instant, and how long that stays so.
struct ScheduleState {
  bool valid = false;                    // inside the window's validity
  std::optional<Occurrence> occurrence;  // when valid and active: the containing occurrence that ends last
  // Exclusive: the state (validity and occurrence) is the same from the
  // instant it was computed at until then.  A state with no change in sight
  // within Schedule::kSearchHorizon holds for its second: a change just past
  // the horizon comes within it a second later.
  Instant holds_until;
  // Exclusive, and never before holds_until: whether the window is active
  // stays the same until then.  While active, the occurrence's end (a later
  // occurrence that starts inside it changes the occurrence, not the
  // activity); with no change in sight, the end of the horizon.
  Instant activity_holds_until;
};

class Schedule {
 public:
  // Validity bounds are local times in `zone`; `valid_until` is exclusive.
  // An occurrence whose local start falls on one of `excluded_days` (the
  // window's `except:`) does not happen, as iCalendar's EXDATE.
  Schedule(TimeZone zone, std::vector<Recurrence> recurrences, std::optional<LocalTime> valid_from,
           std::optional<LocalTime> valid_until, std::vector<LocalDay> excluded_days = {});

  const TimeZone& zone() const { return zone_; }
  const std::vector<Recurrence>& recurrences() const { return recurrences_; }
  const std::vector<LocalDay>& excluded_days() const { return excluded_days_; }

  // Whether the window exists at `t` (inside its validity).
  bool valid_at(Instant t) const { return t >= valid_from_ && t < valid_until_; }

  // The state at `t`.  Its cost is bounded whatever the recurrences: each
  // looks only at the occurrences that can contain `t` and at its first start
  // after `t` (a cron by its firings nearest `t`, not by every firing of a
  // long duration), and adds what it generated to `cost.expansions`.
  ScheduleState state_at(Instant t, EvaluationCost& cost) const;

  // The most occurrences state_at generates, whatever its instant: per cron,
  // five times the firings that fit in the zone's longest offset change (and
  // one); per calendar, twice the most of its occurrences that start within
  // its longest span and three days, and its longest run of excluded ones;
  // per other recurrence, 64; and for every recurrence but a calendar, four
  // per excluded day.
  std::size_t most_expansions_per_state() const;

  // The occurrence containing `t` that ends last, if the window is active at `t`.
  std::optional<Occurrence> occurrence_at(Instant t) const;

  // Every non-empty occurrence that overlaps [begin, end), clipped to the
  // validity, sorted by start then end.  Costs in proportion to the
  // occurrences that start in the interval or up to a duration before it.
  std::vector<Occurrence> occurrences_overlapping(Instant begin, Instant end) const;

  // The SUMMARY of a calendar event with an occurrence that starts at
  // `from` ("Christmas Day"), for listings; empty when none does.
  std::string_view event_starting_at(Instant from) const;

  // The first instant after `t`, up to `limit` (inclusive), at which the
  // window turns active or inactive, or enters or leaves its validity:
  // chained and overlapping occurrences are followed to the end of their
  // union.  Looks at most kSearchHorizon ahead, through at most `most_states`
  // states; empty when it found none within those bounds.
  std::optional<Instant> next_change_after(Instant t, Instant limit, std::size_t most_states) const;

  static constexpr days kSearchHorizon{3660};

 private:
  std::optional<Occurrence> clipped(Instant from, Instant to) const;
  using LocalIntervals = std::vector<LocalInterval>;  // reused between recurrences
  // Of every recurrence's occurrences containing `t`, the one that ends last.
  std::optional<Occurrence> latest_ending_containing(Instant t, LocalTime local_t, LocalIntervals& scratch,
                                                     EvaluationCost& cost) const;
  std::optional<Occurrence> latest_ending_containing(const Recurrence& recurrence, std::size_t index, Instant t,
                                                     LocalTime local_t, LocalIntervals& scratch,
                                                     EvaluationCost& cost) const;
  std::optional<Instant> first_start_after(const Recurrence& recurrence, Instant t, LocalTime local_t, Instant limit,
                                           LocalIntervals& scratch, EvaluationCost& cost) const;
  std::optional<Instant> first_cron_start_after(const Cron& cron, Instant t, LocalTime local_t, Instant limit,
                                                EvaluationCost& cost) const;
  std::optional<Instant> first_calendar_start_after(const Calendar& calendar, Instant t, LocalTime local_t,
                                                    Instant limit, EvaluationCost& cost) const;
  bool excluded(LocalTime start) const;
  // The most consecutive occurrences of the calendar that start on excluded days.
  std::size_t longest_excluded_run(const Calendar& calendar) const;

  TimeZone zone_;
  std::vector<Recurrence> recurrences_;
  Instant valid_from_;
  Instant valid_until_;
  std::vector<seconds> longest_spans_;   // per recurrence: how far back an occurrence may start
  std::vector<LocalDay> excluded_days_;  // sorted, without repeats
};

}  // namespace windowguard::core
