#include "core/schedule/schedule.hpp"

#include <algorithm>

namespace windowguard::core {
namespace {

// Local and UTC calendars differ by less than a day (offsets are within ±26h
// only in theory; ±14h in the tz database), and so does an offset change at
// a transition, so two days of margin on each side of a local range catch
// every occurrence.
constexpr days kZoneMargin{2};

// An offset change at a transition is at most a day (Pacific/Apia, 2011):
// occurrences that can contain an instant, or start next after it, start at
// most this much earlier or later in local time than that bounds them.
constexpr days kShiftMargin{1};

// The first look for a start covers this many days; each further look covers
// four times as many, from where the last one ended.
constexpr days kFirstLookAhead{2};

// Of two occurrences containing an instant, the one that ends last; of two
// that end together, the one that started first.
bool ends_later(const Occurrence& candidate, const std::optional<Occurrence>& best) {
  return !best || candidate.to > best->to || (candidate.to == best->to && candidate.from < best->from);
}

// The most occurrences of the calendar that start within any `span`.
std::size_t densest_starts(const Calendar& calendar, seconds span) {
  std::size_t most = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < calendar.occurrences.size(); ++last) {
    while (calendar.occurrences[last].interval.from - calendar.occurrences[first].interval.from > span) {
      ++first;
    }
    most = std::max(most, last - first + 1);
  }
  return most;
}

}  // namespace

Schedule::Schedule(TimeZone zone, std::vector<Recurrence> recurrences, std::optional<LocalTime> valid_from,
                   std::optional<LocalTime> valid_until, std::vector<LocalDay> excluded_days)
    : zone_(std::move(zone)),
      recurrences_(std::move(recurrences)),
      valid_from_(valid_from ? zone_.to_instant(*valid_from) : Instant::min()),
      valid_until_(valid_until ? zone_.to_instant(*valid_until) : Instant::max()),
      excluded_days_(std::move(excluded_days)) {
  longest_spans_.reserve(recurrences_.size());
  for (const Recurrence& recurrence : recurrences_) {
    longest_spans_.push_back(longest_local_span(recurrence));
  }
  std::sort(excluded_days_.begin(), excluded_days_.end());
  excluded_days_.erase(std::unique(excluded_days_.begin(), excluded_days_.end()), excluded_days_.end());
}

bool Schedule::excluded(LocalTime start) const {
  return std::binary_search(excluded_days_.begin(), excluded_days_.end(), date::floor<days>(start));
}

std::optional<Occurrence> Schedule::clipped(Instant from, Instant to) const {
  from = std::max(from, valid_from_);
  to = std::min(to, valid_until_);
  if (from >= to) {
    return std::nullopt;
  }
  return Occurrence{from, to};
}

// Local times in order map to instants in order, except near a transition,
// where two less than its offset change apart may map the other way round
// (TimeZone::offset_change_near).  So the occurrences that can contain `t`
// start at most that much after `local_t`, and no earlier than their longest
// span and that much before it.
std::optional<Occurrence> Schedule::latest_ending_containing(const Recurrence& recurrence, std::size_t index, Instant t,
                                                             LocalTime local_t, LocalIntervals& scratch,
                                                             EvaluationCost& cost) const {
  std::optional<Occurrence> best;
  const auto consider = [&](LocalTime from, LocalTime to) {
    ++cost.expansions;
    if (excluded(from)) {
      return;
    }
    const Instant start = zone_.to_instant(from);
    const Instant end = zone_.to_instant(to);
    if (start <= t && t < end) {
      if (const auto occurrence = clipped(start, end); occurrence && ends_later(*occurrence, best)) {
        best = occurrence;
      }
    }
  };
  const Cron* cron = std::get_if<Cron>(&recurrence);
  if (cron == nullptr) {
    scratch.clear();
    append_local_occurrences(recurrence, date::floor<days>(local_t - longest_spans_[index]) - kShiftMargin,
                             date::floor<days>(local_t) + kShiftMargin, scratch);
    for (const LocalInterval& interval : scratch) {
      consider(interval.from, interval.to);
    }
    return best;
  }
  // A cron firing every minute for a year has half a million occurrences
  // containing `t`; only the latest firings can end last.  Walking back, a
  // firing earlier than the first one found to contain `t` by more than the
  // offset change near that one's end ends before it.
  const seconds shift_now = zone_.offset_change_near(local_t);
  const LocalTime earliest = local_t - cron->duration - shift_now;
  const LocalDay first_day = date::floor<days>(earliest);
  std::optional<LocalTime> first_containing;
  seconds shift_at_end{0};
  for (auto fire = cron->schedule.last_fire_at_or_before(local_t + shift_now, first_day); fire && *fire >= earliest;
       fire = cron->schedule.last_fire_at_or_before(*fire - minutes{1}, first_day)) {
    if (first_containing && *fire < *first_containing - shift_at_end) {
      break;
    }
    consider(*fire, *fire + cron->duration);
    if (!first_containing && best) {
      first_containing = *fire;
      shift_at_end = zone_.offset_change_near(*fire + cron->duration);
    }
  }
  return best;
}

std::optional<Occurrence> Schedule::latest_ending_containing(Instant t, LocalTime local_t, LocalIntervals& scratch,
                                                             EvaluationCost& cost) const {
  std::optional<Occurrence> latest;
  for (std::size_t i = 0; i < recurrences_.size(); ++i) {
    if (const auto found = latest_ending_containing(recurrences_[i], i, t, local_t, scratch, cost);
        found && ends_later(*found, latest)) {
      latest = found;
    }
  }
  return latest;
}

std::optional<Instant> Schedule::first_cron_start_after(const Cron& cron, Instant t, LocalTime local_t, Instant limit,
                                                        EvaluationCost& cost) const {
  // As above: the earliest start is no more than the offset change near it
  // after the first firing found to start after `t`.
  const LocalTime limit_local = zone_.to_local(limit);
  const LocalTime local_limit = limit_local + zone_.offset_change_near(limit_local);
  const LocalDay last_day = date::floor<days>(local_limit);
  std::optional<Instant> earliest;
  std::optional<LocalTime> first_found;
  seconds shift_at_first{0};
  // A firing on an excluded day skips to the next day that is not: one
  // expansion per excluded stretch, not one per firing in it.
  const auto next_after = [&](LocalTime fire) {
    if (!excluded(fire)) {
      return fire + minutes{1};
    }
    LocalDay day = date::floor<days>(fire) + days{1};
    while (excluded(day)) {
      day += days{1};
    }
    return LocalTime{day};
  };
  for (auto fire = cron.schedule.first_fire_at_or_after(local_t - zone_.offset_change_near(local_t), last_day);
       fire && *fire <= local_limit; fire = cron.schedule.first_fire_at_or_after(next_after(*fire), last_day)) {
    if (first_found && *fire > *first_found + shift_at_first) {
      break;
    }
    ++cost.expansions;
    const Instant start = zone_.to_instant(*fire);
    if (start <= t || start >= limit || excluded(*fire) || zone_.to_instant(*fire + cron.duration) <= start) {
      continue;
    }
    if (!first_found) {
      first_found = *fire;
      shift_at_first = zone_.offset_change_near(*fire);
    }
    earliest = std::min(earliest.value_or(start), start);
  }
  return earliest;
}

// A calendar's occurrences are sorted by local start: from the first that
// can start after `t`, the earliest start is no more than the offset change
// near it after the first one found, as above.
std::optional<Instant> Schedule::first_calendar_start_after(const Calendar& calendar, Instant t, LocalTime local_t,
                                                            Instant limit, EvaluationCost& cost) const {
  const LocalTime limit_local = zone_.to_local(limit);
  const LocalTime local_limit = limit_local + zone_.offset_change_near(limit_local);
  std::optional<Instant> earliest;
  std::optional<LocalTime> first_found;
  seconds shift_at_first{0};
  for (auto occurrence = calendar.first_starting_from(local_t - zone_.offset_change_near(local_t));
       occurrence != calendar.occurrences.end() && occurrence->interval.from <= local_limit; ++occurrence) {
    const LocalInterval& interval = occurrence->interval;
    if (first_found && interval.from > *first_found + shift_at_first) {
      break;
    }
    ++cost.expansions;
    const Instant start = zone_.to_instant(interval.from);
    if (start <= t || start >= limit || excluded(interval.from) || zone_.to_instant(interval.to) <= start) {
      continue;
    }
    if (!first_found) {
      first_found = interval.from;
      shift_at_first = zone_.offset_change_near(interval.from);
    }
    earliest = std::min(earliest.value_or(start), start);
  }
  return earliest;
}

// The first start of a non-empty occurrence in (t, limit).
std::optional<Instant> Schedule::first_start_after(const Recurrence& recurrence, Instant t, LocalTime local_t,
                                                   Instant limit, LocalIntervals& scratch, EvaluationCost& cost) const {
  if (const Cron* cron = std::get_if<Cron>(&recurrence)) {
    return first_cron_start_after(*cron, t, local_t, limit, cost);
  }
  if (const Calendar* calendar = std::get_if<Calendar>(&recurrence)) {
    return first_calendar_start_after(*calendar, t, local_t, limit, cost);
  }
  const LocalDay last_needed = date::floor<days>(zone_.to_local(limit)) + kShiftMargin;
  std::optional<Instant> earliest;
  std::optional<LocalTime> earliest_local;
  LocalDay first = date::floor<days>(local_t) - kShiftMargin;
  for (days ahead = kFirstLookAhead;; ahead *= 4) {
    const LocalDay last = std::min(date::floor<days>(local_t) + ahead, last_needed);
    scratch.clear();
    append_local_occurrences(recurrence, first, last, scratch);
    for (const LocalInterval& interval : scratch) {
      ++cost.expansions;
      const Instant start = zone_.to_instant(interval.from);
      if (start > t && start < limit && !excluded(interval.from) && zone_.to_instant(interval.to) > start &&
          start < earliest.value_or(limit)) {
        earliest = start;
        earliest_local = interval.from;
      }
    }
    // A start later in local time comes earlier only when closer than the
    // offset change near it.
    if ((earliest_local && *earliest_local + zone_.offset_change_near(*earliest_local) < last + days{1}) ||
        last == last_needed) {
      return earliest;
    }
    first = last + days{1};
  }
}

ScheduleState Schedule::state_at(Instant t, EvaluationCost& cost) const {
  ScheduleState state;
  if (t < valid_from_) {
    state.holds_until = state.activity_holds_until = valid_from_;
    return state;
  }
  if (t >= valid_until_) {
    state.holds_until = state.activity_holds_until = Instant::max();
    return state;
  }
  state.valid = true;
  const LocalTime local_t = zone_.to_local(t);
  LocalIntervals scratch;
  state.occurrence = latest_ending_containing(t, local_t, scratch, cost);
  const Instant horizon_end = t + kSearchHorizon;
  // Active: the occurrence changes where it ends or where another one starts
  // inside it.  Inactive: the window turns active at the next start.
  const Instant limit = state.occurrence ? state.occurrence->to : std::min(valid_until_, horizon_end);
  std::optional<Instant> next_start;
  for (const Recurrence& recurrence : recurrences_) {
    if (const auto start = first_start_after(recurrence, t, local_t, next_start.value_or(limit), scratch, cost)) {
      next_start = start;
    }
  }
  if (state.occurrence) {
    state.holds_until = next_start.value_or(state.occurrence->to);
    state.activity_holds_until = state.occurrence->to;
  } else if (next_start || valid_until_ <= horizon_end) {
    state.holds_until = state.activity_holds_until = next_start.value_or(valid_until_);
  } else {
    state.holds_until = t + seconds{1};
    state.activity_holds_until = horizon_end;
  }
  return state;
}

std::size_t Schedule::longest_excluded_run(const Calendar& calendar) const {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const CalendarOccurrence& occurrence : calendar.occurrences) {
    run = excluded(occurrence.interval.from) ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

std::size_t Schedule::most_expansions_per_state() const {
  constexpr std::size_t kMostPerRuleRecurrence = 64;
  const auto firings_per_change =
      static_cast<std::size_t>(std::chrono::duration_cast<minutes>(zone_.longest_offset_change()).count()) + 1;
  std::size_t most = 0;
  for (std::size_t i = 0; i < recurrences_.size(); ++i) {
    if (const Calendar* calendar = std::get_if<Calendar>(&recurrences_[i])) {
      most += 2 * densest_starts(*calendar, longest_spans_[i] + days{3}) + longest_excluded_run(*calendar) + 1;
    } else {
      // The search for the next start passes over each excluded day: at
      // most one cron firing per day (it skips the rest of the day), and at
      // most one occurrence per day of the other kinds in a range up to four
      // times as long as what it has passed.
      most += (std::holds_alternative<Cron>(recurrences_[i]) ? 5 * firings_per_change : kMostPerRuleRecurrence) +
              4 * excluded_days_.size();
    }
  }
  return most;
}

std::optional<Occurrence> Schedule::occurrence_at(Instant t) const {
  if (!valid_at(t)) {
    return std::nullopt;
  }
  EvaluationCost unused;
  LocalIntervals scratch;
  return latest_ending_containing(t, zone_.to_local(t), scratch, unused);
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
    if (excluded(interval.from)) {
      continue;
    }
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

std::string_view Schedule::event_starting_at(Instant from) const {
  const LocalTime local = zone_.to_local(from);
  const seconds shift = zone_.offset_change_near(local);
  for (const Recurrence& recurrence : recurrences_) {
    const Calendar* calendar = std::get_if<Calendar>(&recurrence);
    if (calendar == nullptr) {
      continue;
    }
    for (auto occurrence = calendar->first_starting_from(local - shift);
         occurrence != calendar->occurrences.end() && occurrence->interval.from <= local + shift; ++occurrence) {
      if (zone_.to_instant(occurrence->interval.from) == from) {
        return calendar->summaries[occurrence->event];
      }
    }
  }
  return {};
}

std::optional<Instant> Schedule::next_change_after(Instant t, Instant limit, std::size_t most_states) const {
  limit = std::min(limit, t + kSearchHorizon);
  EvaluationCost cost;
  const ScheduleState first = state_at(t, cost);
  const bool active = first.occurrence.has_value();
  const bool valid = first.valid;
  for (Instant at = first.activity_holds_until; at <= limit && most_states > 1; --most_states) {
    const ScheduleState then = state_at(at, cost);
    if (then.occurrence.has_value() != active || then.valid != valid) {
      return at;
    }
    at = then.activity_holds_until;
  }
  return std::nullopt;
}

}  // namespace windowguard::core
