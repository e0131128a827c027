#include "core/schedule/schedule.hpp"

#include <gtest/gtest.h>

#include "support/time_helpers.hpp"

namespace windowguard::core {
namespace {

using testing::clock;
using testing::cron;
using testing::local;
using testing::utc;
using testing::zone;

std::string describe(const std::optional<Occurrence>& occurrence) {
  if (!occurrence) {
    return "none";
  }
  return format_utc(occurrence->from) + " .. " + format_utc(occurrence->to);
}

// One row: a schedule, an instant, and the occurrence expected to contain it.
struct ActiveCase {
  const char* name;
  const char* zone_name;
  Recurrence recurrence;
  const char* at;
  const char* expected_from;  // nullptr: not active
  const char* expected_to;
};

void PrintTo(const ActiveCase& row, std::ostream* out) { *out << row.name; }

class ActiveAt : public ::testing::TestWithParam<ActiveCase> {};

TEST_P(ActiveAt, FindsTheOccurrenceContainingTheInstant) {
  const ActiveCase& row = GetParam();
  const Schedule schedule(zone(row.zone_name), {row.recurrence}, std::nullopt, std::nullopt);
  const std::optional<Occurrence> found = schedule.occurrence_at(utc(row.at));
  std::optional<Occurrence> expected;
  if (row.expected_from != nullptr) {
    expected = Occurrence{utc(row.expected_from), utc(row.expected_to)};
  }
  EXPECT_EQ(describe(found), describe(expected)) << row.name;
}

const ActiveCase kActiveCases[] = {
    // --- each duration kind, plain days ---
    {"once inside", "UTC", Once{local(2024, 6, 20, 20), local(2024, 6, 26, 17)}, "2024-06-22T00:00:00Z",
     "2024-06-20T20:00:00Z", "2024-06-26T17:00:00Z"},
    {"once: end is exclusive", "UTC", Once{local(2024, 6, 20, 20), local(2024, 6, 26, 17)}, "2024-06-26T17:00:00Z",
     nullptr, nullptr},
    {"once: start is inclusive", "UTC", Once{local(2024, 6, 20, 20), local(2024, 6, 26, 17)}, "2024-06-20T20:00:00Z",
     "2024-06-20T20:00:00Z", "2024-06-26T17:00:00Z"},
    {"daily inside", "UTC", Daily{clock(9), clock(17)}, "2024-05-02T12:00:00Z", "2024-05-02T09:00:00Z",
     "2024-05-02T17:00:00Z"},
    {"daily outside", "UTC", Daily{clock(9), clock(17)}, "2024-05-02T17:00:00Z", nullptr, nullptr},
    {"daily wrapping past midnight, after midnight", "UTC", Daily{clock(22), clock(6)}, "2024-05-02T03:00:00Z",
     "2024-05-01T22:00:00Z", "2024-05-02T06:00:00Z"},
    {"weekly on a listed day", "UTC", Weekly{0b0001001, clock(2), clock(5, 30)} /* Sun, Wed */,
     "2024-05-01T03:00:00Z" /* Wednesday */, "2024-05-01T02:00:00Z", "2024-05-01T05:30:00Z"},
    {"weekly on an unlisted day", "UTC", Weekly{0b0001001, clock(2), clock(5, 30)}, "2024-05-02T03:00:00Z", nullptr,
     nullptr},
    {"weekly wrapping into an unlisted day", "UTC", Weekly{0b0100000, clock(22), clock(2)} /* Fri */,
     "2024-05-04T01:00:00Z" /* Saturday */, "2024-05-03T22:00:00Z", "2024-05-04T02:00:00Z"},
    {"weeklyRange Sat..Mon on Sunday", "UTC", WeeklyRange{{date::Saturday, clock(0)}, {date::Monday, clock(0)}},
     "2024-05-05T12:00:00Z", "2024-05-04T00:00:00Z", "2024-05-06T00:00:00Z"},
    {"weeklyRange wrapping over the week end (Fri..Tue)", "UTC",
     WeeklyRange{{date::Friday, clock(18)}, {date::Tuesday, clock(6)}}, "2024-05-06T12:00:00Z", "2024-05-03T18:00:00Z",
     "2024-05-07T06:00:00Z"},
    {"weeklyRange same day, to before from: a whole week", "UTC",
     WeeklyRange{{date::Monday, clock(10)}, {date::Monday, clock(9)}}, "2024-05-12T00:00:00Z", "2024-05-06T10:00:00Z",
     "2024-05-13T09:00:00Z"},
    {"monthly 1 22:30 .. 2 06:30", "UTC", Monthly{{1, clock(22, 30)}, {2, clock(6, 30)}}, "2024-07-02T00:00:00Z",
     "2024-07-01T22:30:00Z", "2024-07-02T06:30:00Z"},
    {"yearly inside", "UTC", Yearly{{date::June, date::day{1}, clock(0)}, {date::June, date::day{3}, clock(0)}},
     "2025-06-02T00:00:00Z", "2025-06-01T00:00:00Z", "2025-06-03T00:00:00Z"},
    {"cron Argo CD form", "UTC", Cron{cron("0 22 * * 5"), hours{58}}, "2024-05-05T12:00:00Z", "2024-05-03T22:00:00Z",
     "2024-05-06T08:00:00Z"},
    {"cron just after its end", "UTC", Cron{cron("0 22 * * 5"), hours{58}}, "2024-05-06T08:00:00Z", nullptr, nullptr},

    // --- month ends: clamping and negative days ---
    {"monthly day 31 clamps to Apr 30", "UTC", Monthly{{31, clock(10)}, {31, clock(12)}}, "2024-04-30T11:00:00Z",
     "2024-04-30T10:00:00Z", "2024-04-30T12:00:00Z"},
    {"monthly -1 is the last day (leap February)", "UTC", Monthly{{-1, clock(20)}, {1, clock(8)}},
     "2024-02-29T21:00:00Z", "2024-02-29T20:00:00Z", "2024-03-01T08:00:00Z"},
    {"monthly -1 is the last day (common February)", "UTC", Monthly{{-1, clock(20)}, {1, clock(8)}},
     "2023-03-01T07:00:00Z", "2023-02-28T20:00:00Z", "2023-03-01T08:00:00Z"},
    {"monthly -2 is the day before the last", "UTC", Monthly{{-2, clock(0)}, {-2, clock(12)}}, "2024-02-28T06:00:00Z",
     "2024-02-28T00:00:00Z", "2024-02-28T12:00:00Z"},
    {"monthly -31 clamps to the first day", "UTC", Monthly{{-31, clock(0)}, {-31, clock(12)}}, "2023-02-01T06:00:00Z",
     "2023-02-01T00:00:00Z", "2023-02-01T12:00:00Z"},
    {"monthly to before from wraps into the next month", "UTC", Monthly{{28, clock(0)}, {3, clock(0)}},
     "2024-03-02T00:00:00Z", "2024-02-28T00:00:00Z", "2024-03-03T00:00:00Z"},

    // --- leap day and year end ---
    {"yearly Feb 29 in a leap year", "UTC",
     Yearly{{date::February, date::day{29}, clock(0)}, {date::March, date::day{1}, clock(0)}}, "2024-02-29T12:00:00Z",
     "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"},
    {"yearly Feb 29 clamps to Feb 28 in a common year", "UTC",
     Yearly{{date::February, date::day{29}, clock(0)}, {date::March, date::day{1}, clock(0)}}, "2023-02-28T12:00:00Z",
     "2023-02-28T00:00:00Z", "2023-03-01T00:00:00Z"},
    {"yearly over the year end, before it", "UTC",
     Yearly{{date::December, date::day{20}, clock(0)}, {date::January, date::day{2}, clock(0)}}, "2024-12-31T23:59:59Z",
     "2024-12-20T00:00:00Z", "2025-01-02T00:00:00Z"},
    {"yearly over the year end, after it", "UTC",
     Yearly{{date::December, date::day{20}, clock(0)}, {date::January, date::day{2}, clock(0)}}, "2025-01-01T12:00:00Z",
     "2024-12-20T00:00:00Z", "2025-01-02T00:00:00Z"},
    {"daily wrapping over the year end", "UTC", Daily{clock(22), clock(6)}, "2025-01-01T03:00:00Z",
     "2024-12-31T22:00:00Z", "2025-01-01T06:00:00Z"},
    {"cron on Dec 31 lasting into the new year", "UTC", Cron{cron("0 12 31 12 *"), hours{36}}, "2025-01-01T23:00:00Z",
     "2024-12-31T12:00:00Z", "2025-01-02T00:00:00Z"},

    // --- America/New_York: spring forward 2024-03-10 02:00 EST -> 03:00 EDT (07:00Z) ---
    {"NY daily 00:00-06:00 lasts 5 real hours on spring-forward day", "America/New_York", Daily{clock(0), clock(6)},
     "2024-03-10T06:00:00Z", "2024-03-10T05:00:00Z", "2024-03-10T10:00:00Z"},
    {"NY start in the gap moves forward by the gap (02:30 -> 03:30 EDT)", "America/New_York",
     Daily{clock(2, 30), clock(4)}, "2024-03-10T07:45:00Z", "2024-03-10T07:30:00Z", "2024-03-10T08:00:00Z"},
    {"NY start in the gap: not active before 03:30 EDT", "America/New_York", Daily{clock(2, 30), clock(4)},
     "2024-03-10T07:15:00Z", nullptr, nullptr},
    {"NY occurrence emptied by the gap is skipped", "America/New_York", Daily{clock(2, 30), clock(3, 10)},
     "2024-03-10T07:20:00Z", nullptr, nullptr},
    // --- America/New_York: fall back 2024-11-03 02:00 EDT -> 01:00 EST (06:00Z) ---
    {"NY daily 00:00-06:00 lasts 7 real hours on fall-back day", "America/New_York", Daily{clock(0), clock(6)},
     "2024-11-03T10:30:00Z", "2024-11-03T04:00:00Z", "2024-11-03T11:00:00Z"},
    {"NY ambiguous 01:30 means the earlier instant (EDT)", "America/New_York", Daily{clock(1, 30), clock(2)},
     "2024-11-03T05:45:00Z", "2024-11-03T05:30:00Z", "2024-11-03T07:00:00Z"},

    // --- Europe/Berlin: spring forward 2024-03-31 02:00 CET -> 03:00 CEST (01:00Z) ---
    {"Berlin 58h cron over spring-forward lasts 57 real hours", "Europe/Berlin", Cron{cron("0 22 * * 5"), hours{58}},
     "2024-03-31T12:00:00Z", "2024-03-29T21:00:00Z", "2024-04-01T06:00:00Z"},
    {"Berlin cron minute in the gap fires at 03:30 CEST", "Europe/Berlin", Cron{cron("30 2 * * *"), minutes{10}},
     "2024-03-31T01:35:00Z", "2024-03-31T01:30:00Z", "2024-03-31T01:40:00Z"},
    // --- Europe/Berlin: fall back 2024-10-27 03:00 CEST -> 02:00 CET (01:00Z) ---
    {"Berlin 58h cron over fall-back ends Monday 08:00 local (59 real hours)", "Europe/Berlin",
     Cron{cron("0 22 * * 5"), hours{58}}, "2024-10-28T06:59:59Z", "2024-10-25T20:00:00Z", "2024-10-28T07:00:00Z"},
    {"Berlin cron minute that occurs twice fires once, at the earlier", "Europe/Berlin",
     Cron{cron("30 2 * * *"), minutes{10}}, "2024-10-27T00:35:00Z", "2024-10-27T00:30:00Z", "2024-10-27T00:40:00Z"},
    {"Berlin cron minute that occurs twice: not again at the later", "Europe/Berlin",
     Cron{cron("30 2 * * *"), minutes{10}}, "2024-10-27T01:35:00Z", nullptr, nullptr},

    // --- Australia/Sydney (southern hemisphere) ---
    // DST starts 2024-10-06 02:00 AEST -> 03:00 AEDT (2024-10-05T16:00Z)
    {"Sydney weekly Sunday 00:00-06:00 lasts 5 real hours when DST starts", "Australia/Sydney",
     Weekly{0b0000001, clock(0), clock(6)}, "2024-10-05T18:00:00Z", "2024-10-05T14:00:00Z", "2024-10-05T19:00:00Z"},
    // DST ends 2024-04-07 03:00 AEDT -> 02:00 AEST (2024-04-06T16:00Z)
    {"Sydney weekly Sunday 00:00-06:00 lasts 7 real hours when DST ends", "Australia/Sydney",
     Weekly{0b0000001, clock(0), clock(6)}, "2024-04-06T19:30:00Z", "2024-04-06T13:00:00Z", "2024-04-06T20:00:00Z"},
    {"Sydney ambiguous 02:30-02:45 means the earlier (AEDT) instants", "Australia/Sydney",
     Daily{clock(2, 30), clock(2, 45)}, "2024-04-06T15:40:00Z", "2024-04-06T15:30:00Z", "2024-04-06T15:45:00Z"},
    {"Sydney ambiguous 02:30-02:45: not again in standard time", "Australia/Sydney", Daily{clock(2, 30), clock(2, 45)},
     "2024-04-06T16:40:00Z", nullptr, nullptr},

    // --- half- and three-quarter-hour offsets ---
    {"Kolkata (+05:30) daily 22:00-06:00", "Asia/Kolkata", Daily{clock(22), clock(6)}, "2024-05-01T20:00:00Z",
     "2024-05-01T16:30:00Z", "2024-05-02T00:30:00Z"},
    {"Kathmandu (+05:45) once", "Asia/Kathmandu", Once{local(2024, 6, 20, 20), local(2024, 6, 21, 8)},
     "2024-06-20T14:15:00Z", "2024-06-20T14:15:00Z", "2024-06-21T02:15:00Z"},
    {"Kathmandu (+05:45) cron", "Asia/Kathmandu", Cron{cron("15 9 * * MON-FRI"), minutes{45}}, "2024-06-21T03:45:00Z",
     "2024-06-21T03:30:00Z", "2024-06-21T04:15:00Z"},
};

INSTANTIATE_TEST_SUITE_P(EveryKindAndZone, ActiveAt, ::testing::ValuesIn(kActiveCases));

TEST(Schedule, FixedOffsetZoneHasNoDst) {
  const Schedule schedule(TimeZone::fixed_offset(-minutes{9 * 60 + 30}, "-09:30"), {Daily{clock(0), clock(6)}},
                          std::nullopt, std::nullopt);
  EXPECT_EQ(describe(schedule.occurrence_at(utc("2024-03-10T10:00:00Z"))),
            "2024-03-10T09:30:00Z .. 2024-03-10T15:30:00Z");
}

TEST(Schedule, TheContainingOccurrenceThatEndsLastIsReported) {
  const Schedule schedule(zone("UTC"), {Daily{clock(0), clock(6)}, Once{local(2020, 1, 1), local(2030, 1, 1)}},
                          std::nullopt, std::nullopt);
  EXPECT_EQ(describe(schedule.occurrence_at(utc("2024-05-01T03:00:00Z"))),
            "2020-01-01T00:00:00Z .. 2030-01-01T00:00:00Z");
}

TEST(Schedule, OccurrenceStraddlingValidFromIsClipped) {
  const Schedule schedule(zone("UTC"), {Daily{clock(8), clock(18)}}, local(2024, 6, 5, 12), std::nullopt);
  EXPECT_EQ(describe(schedule.occurrence_at(utc("2024-06-05T13:00:00Z"))),
            "2024-06-05T12:00:00Z .. 2024-06-05T18:00:00Z");
  EXPECT_FALSE(schedule.occurrence_at(utc("2024-06-05T09:00:00Z")));
  EXPECT_FALSE(schedule.valid_at(utc("2024-06-05T11:59:59Z")));
  EXPECT_TRUE(schedule.valid_at(utc("2024-06-05T12:00:00Z")));
}

TEST(Schedule, OccurrenceStraddlingValidUntilIsClipped) {
  // A bare validUntil date means the end of that day: the loader passes the next day's 00:00.
  const Schedule schedule(zone("Europe/Berlin"), {Daily{clock(22), clock(6)}}, std::nullopt, local(2024, 6, 11));
  EXPECT_EQ(describe(schedule.occurrence_at(utc("2024-06-10T21:00:00Z"))),
            "2024-06-10T20:00:00Z .. 2024-06-10T22:00:00Z");
  EXPECT_FALSE(schedule.occurrence_at(utc("2024-06-10T22:00:00Z")));
  EXPECT_FALSE(schedule.valid_at(utc("2024-06-10T22:00:00Z")));
}

TEST(Schedule, OccurrencesOverlappingAnIntervalAreSortedAndClipped) {
  const Schedule schedule(zone("UTC"), {Daily{clock(22), clock(6)}, Weekly{0b0000010, clock(12), clock(13)}},
                          std::nullopt, local(2024, 5, 8, 3));
  const std::vector<Occurrence> found =
      schedule.occurrences_overlapping(utc("2024-05-06T00:00:00Z"), utc("2024-05-09T00:00:00Z"));
  std::vector<std::string> shown;
  for (const Occurrence& occurrence : found) {
    shown.push_back(describe(occurrence));
  }
  EXPECT_EQ(shown, (std::vector<std::string>{
                       "2024-05-05T22:00:00Z .. 2024-05-06T06:00:00Z",
                       "2024-05-06T12:00:00Z .. 2024-05-06T13:00:00Z",  // Monday
                       "2024-05-06T22:00:00Z .. 2024-05-07T06:00:00Z",
                       "2024-05-07T22:00:00Z .. 2024-05-08T03:00:00Z",  // clipped by validUntil
                   }));
}

struct ChangeCase {
  const char* name;
  std::vector<Recurrence> recurrences;
  std::optional<LocalTime> valid_from;
  std::optional<LocalTime> valid_until;
  const char* after;
  const char* expected;  // nullptr: no change within the search horizon
};

void PrintTo(const ChangeCase& row, std::ostream* out) { *out << row.name; }

class NextChange : public ::testing::TestWithParam<ChangeCase> {};

TEST_P(NextChange, FindsTheNextActivationOrDeactivation) {
  const ChangeCase& row = GetParam();
  const Schedule schedule(zone("UTC"), row.recurrences, row.valid_from, row.valid_until);
  const std::optional<Instant> change = schedule.next_change_after(utc(row.after), Instant::max(), 1000);
  EXPECT_EQ(change ? format_utc(*change) : "none", row.expected ? row.expected : "none") << row.name;
}

const ChangeCase kChangeCases[] = {
    {"inactive: the next start",
     {Daily{clock(22), clock(6)}},
     std::nullopt,
     std::nullopt,
     "2024-05-01T12:00:00Z",
     "2024-05-01T22:00:00Z"},
    {"active: the end",
     {Daily{clock(22), clock(6)}},
     std::nullopt,
     std::nullopt,
     "2024-05-01T23:00:00Z",
     "2024-05-02T06:00:00Z"},
    {"at a start instant: the end",
     {Daily{clock(22), clock(6)}},
     std::nullopt,
     std::nullopt,
     "2024-05-01T22:00:00Z",
     "2024-05-02T06:00:00Z"},
    {"chained occurrences: the end of their union",
     {WeeklyRange{{date::Saturday, clock(0)}, {date::Monday, clock(0)}}, Daily{clock(22), clock(2)}},
     std::nullopt,
     std::nullopt,
     "2024-05-05T12:00:00Z",
     "2024-05-06T02:00:00Z"},
    {"touching occurrences do not end in between",
     {Daily{clock(0), clock(12)}, Daily{clock(12), clock(0)}},
     local(2024, 5, 1),
     local(2024, 5, 20),
     "2024-05-02T06:00:00Z",
     "2024-05-20T00:00:00Z"},
    {"a start months ahead",
     {Once{local(2025, 1, 1, 0), local(2025, 1, 2, 0)}},
     std::nullopt,
     std::nullopt,
     "2024-05-01T00:00:00Z",
     "2025-01-01T00:00:00Z"},
    {"a yearly start almost a year ahead",
     {Yearly{{date::April, date::day{30}, clock(0)}, {date::May, date::day{1}, clock(0)}}},
     std::nullopt,
     std::nullopt,
     "2024-05-01T00:00:00Z",
     "2025-04-30T00:00:00Z"},
    {"validFrom is a change even with no occurrence",
     {Once{local(2020, 1, 1), local(2020, 1, 2)}},
     local(2024, 6, 1),
     std::nullopt,
     "2024-05-01T00:00:00Z",
     "2024-06-01T00:00:00Z"},
    {"validUntil is a change",
     {Once{local(2020, 1, 1), local(2020, 1, 2)}},
     std::nullopt,
     local(2024, 6, 1),
     "2024-05-01T00:00:00Z",
     "2024-06-01T00:00:00Z"},
    {"a years-long occurrence beside a daily one: the end of their union",
     {Once{local(2020, 1, 1), local(2030, 1, 1)}, Daily{clock(23), clock(1)}},
     std::nullopt,
     std::nullopt,
     "2024-05-01T00:00:00Z",
     "2030-01-01T01:00:00Z"},
    {"nothing ahead",
     {Once{local(2020, 1, 1), local(2020, 1, 2)}},
     std::nullopt,
     std::nullopt,
     "2024-05-01T00:00:00Z",
     nullptr},
};

INSTANTIATE_TEST_SUITE_P(Transitions, NextChange, ::testing::ValuesIn(kChangeCases));

// Schedule::state_at looks only near its instant.  These rows check it
// against the plain definition, every occurrence of an interval expanded and
// sorted (Schedule::occurrences_overlapping), across DST changes, fixed
// offsets, validity bounds, wrapped and overlapping occurrences and cron
// firings in DST gaps and overlaps.
// What occurrence_at means: of the occurrences containing `t`, the one that
// ends last, the earliest of those that end together.
std::optional<Occurrence> expected_occurrence(const Schedule& schedule, Instant t) {
  std::optional<Occurrence> latest;
  for (const Occurrence& occurrence : schedule.occurrences_overlapping(t, t + seconds{1})) {
    if (!latest || occurrence.to > latest->to) {
      latest = occurrence;
    }
  }
  return latest;
}

// The first start in (t, end), from every occurrence overlapping it.
std::optional<Instant> expected_first_start(const Schedule& schedule, Instant t, Instant end) {
  for (const Occurrence& occurrence : schedule.occurrences_overlapping(t, end)) {
    if (occurrence.from > t) {
      return occurrence.from;
    }
  }
  return std::nullopt;
}

struct StateCase {
  const char* name;
  const char* zone_name;
  std::vector<Recurrence> recurrences;
  std::optional<LocalTime> valid_from;
  std::optional<LocalTime> valid_until;
  const char* from;  // instants compared: from here, every `step`, `count` times
  seconds step;
  int count;
};

void PrintTo(const StateCase& row, std::ostream* out) { *out << row.name; }

class StateAt : public ::testing::TestWithParam<StateCase> {};

TEST_P(StateAt, AgreesWithEveryOccurrenceExpanded) {
  const StateCase& row = GetParam();
  const Schedule schedule(zone(row.zone_name), row.recurrences, row.valid_from, row.valid_until);
  // Far enough ahead for every next start of these rows.
  const days look_ahead{400};
  for (int i = 0; i < row.count; ++i) {
    const Instant t = utc(row.from) + i * row.step;
    EvaluationCost cost;
    const ScheduleState state = schedule.state_at(t, cost);
    ASSERT_EQ(state.valid, schedule.valid_at(t)) << row.name << " at " << format_utc(t);
    const std::optional<Occurrence> occurrence = state.valid ? expected_occurrence(schedule, t) : std::nullopt;
    ASSERT_EQ(describe(state.occurrence), describe(occurrence)) << row.name << " at " << format_utc(t);
    ASSERT_EQ(describe(schedule.occurrence_at(t)), describe(occurrence)) << row.name << " at " << format_utc(t);
    if (!state.valid) {
      continue;
    }
    Instant expected_holds;
    if (occurrence) {
      expected_holds = expected_first_start(schedule, t, occurrence->to).value_or(occurrence->to);
      ASSERT_EQ(state.activity_holds_until, occurrence->to) << row.name << " at " << format_utc(t);
    } else {
      const std::optional<Instant> start = expected_first_start(schedule, t, t + look_ahead);
      ASSERT_TRUE(start || state.holds_until == t + seconds{1}) << row.name << " at " << format_utc(t);
      expected_holds = start.value_or(t + seconds{1});
      ASSERT_EQ(state.activity_holds_until, start.value_or(t + Schedule::kSearchHorizon))
          << row.name << " at " << format_utc(t);
    }
    ASSERT_EQ(format_utc(state.holds_until), format_utc(expected_holds)) << row.name << " at " << format_utc(t);
  }
}

const StateCase kStateCases[] = {
    {"daily across spring-forward, New York",
     "America/New_York",
     {Daily{clock(0), clock(6)}, Daily{clock(2, 30), clock(3, 15)}},
     std::nullopt,
     std::nullopt,
     "2024-03-09T00:00:00Z",
     minutes{7},
     700},
    {"daily across fall-back, Berlin",
     "Europe/Berlin",
     {Daily{clock(22), clock(2, 30)}},
     std::nullopt,
     std::nullopt,
     "2024-10-26T12:00:00Z",
     minutes{11},
     400},
    {"cron firing in a DST gap and overlap, New York",
     "America/New_York",
     {Cron{cron("*/30 1-3 * * *"), hours{1}}, Cron{cron("0 2 * * *"), minutes{45}}},
     std::nullopt,
     std::nullopt,
     "2024-03-09T22:00:00Z",
     minutes{3},
     800},
    {"cron chained into the next day across fall-back",
     "America/New_York",
     {Cron{cron("*/30 1-3 * * *"), hours{24}}},
     std::nullopt,
     std::nullopt,
     "2024-11-02T00:00:00Z",
     minutes{13},
     400},
    {"cron every 90 seconds' worth, +05:45",
     "Asia/Kathmandu",
     {Cron{cron("*/3 9-11 * * *"), seconds{90}}},
     std::nullopt,
     std::nullopt,
     "2024-05-02T03:00:00Z",
     seconds{41},
     500},
    {"weekly range and monthly from the end",
     "Europe/London",
     {WeeklyRange{{date::Friday, clock(18)}, {date::Monday, clock(6)}}, Monthly{{-1, clock(22)}, {2, clock(6)}}},
     std::nullopt,
     std::nullopt,
     "2024-03-25T00:00:00Z",
     hours{3},
     400},
    {"yearly Feb 29 in a common year, clipped by validity",
     "Australia/Sydney",
     {Yearly{{date::February, date::day{29}, clock(12)}, {date::March, date::day{1}, clock(12)}}},
     local(2024, 1, 1),
     local(2027, 3, 1, 6),
     "2024-02-20T00:00:00Z",
     hours{5},
     800},
    {"half-hour DST, Lord Howe",
     "Australia/Lord_Howe",
     {Daily{clock(1, 45), clock(2, 15)}, Cron{cron("50 1 * * *"), minutes{20}}},
     std::nullopt,
     std::nullopt,
     "2024-04-05T10:00:00Z",
     minutes{4},
     600},
    {"a day skipped, Apia 2011",
     "Pacific/Apia",
     {Daily{clock(20), clock(4)}, Cron{cron("0 12 * * *"), hours{30}}},
     std::nullopt,
     std::nullopt,
     "2011-12-28T00:00:00Z",
     minutes{17},
     400},
    {"once overlapping a daily window, validity from",
     "UTC",
     {Once{local(2024, 5, 1, 10), local(2024, 5, 3, 9)}, Daily{clock(8), clock(11)}},
     local(2024, 5, 2, 9, 30),
     std::nullopt,
     "2024-05-01T00:00:00Z",
     minutes{19},
     400},
};

INSTANTIATE_TEST_SUITE_P(Schedules, StateAt, ::testing::ValuesIn(kStateCases));

// A minute cron lasting a year: half a million occurrences contain any
// instant, and the state is found from the firings within New York's one-hour
// offset change of the instant and of the next start.
TEST(StateAt, AMinuteCronLastingAYearCostsAFewFirings) {
  const Schedule schedule(zone("America/New_York"), {Cron{cron("* * * * *"), hours{8760}}}, std::nullopt, std::nullopt);
  EvaluationCost cost;
  const ScheduleState state = schedule.state_at(utc("2025-09-13T04:29:44Z"), cost);
  ASSERT_TRUE(state.occurrence);
  EXPECT_EQ(format_utc(state.occurrence->from), "2025-09-13T04:29:00Z");
  EXPECT_EQ(format_utc(state.occurrence->to), "2026-09-13T04:29:00Z");
  EXPECT_EQ(format_utc(state.holds_until), "2025-09-13T04:30:00Z");
  EXPECT_LE(cost.expansions, 4U * 61U);
}

}  // namespace
}  // namespace windowguard::core
