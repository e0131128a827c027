#include "core/schedule/schedule_memo.hpp"

#include <gtest/gtest.h>

#include "core/decision.hpp"
#include "core/decision_memo.hpp"
#include "support/decision_text.hpp"
#include "support/policy_builder.hpp"

namespace windowguard::core {
namespace {

using testing::bind_everywhere;
using testing::clock;
using testing::describe;
using testing::local;
using testing::utc;
using testing::WindowSpec;

Decision decide_at(const Policy& policy, Instant at, ScheduleMemo* memo, std::string_view user = "dev@example.com") {
  static const std::vector<std::string_view> kNoGroups;
  DecisionInput input;
  input.subject = Subject{"team-a", "api", {}, false};
  input.requester = Requester{user, kNoGroups};
  input.at = at;
  return decide(policy, input, memo);
}

// Windows whose boundaries fall in every way the memo must respect: DST
// changes in both directions, a +05:45 zone, validity bounds, a one-off,
// chained occurrences, a longer occurrence starting inside another of the same
// window, a cron lasting 90 s (off the minute) and an exemption.
Policy varied_policy() {
  Settings settings;
  settings.warn_before_minutes = 90;
  return bind_everywhere(
      {WindowSpec{"nights",
                  WindowType::Maintenance,
                  {Daily{clock(1), clock(3)}},
                  {},
                  ActionSet::all(),
                  std::nullopt,
                  std::nullopt,
                  "America/New_York"},
       WindowSpec{"kathmandu",
                  WindowType::Blackout,
                  {Daily{clock(2, 15), clock(2, 45)}},
                  {},
                  ActionSet::all(),
                  std::nullopt,
                  std::nullopt,
                  "Asia/Kathmandu"},
       WindowSpec{"bounded",
                  WindowType::Blackout,
                  {Daily{clock(4), clock(5)}},
                  {},
                  ActionSet::all(),
                  local(2024, 3, 10),
                  local(2024, 3, 11),
                  "Europe/Berlin"},
       WindowSpec{"once", WindowType::Blackout, {Once{local(2024, 3, 10, 6, 59), local(2024, 3, 10, 7, 1)}}},
       WindowSpec{"chain-a", WindowType::Blackout, {Daily{clock(8), clock(9)}}},
       WindowSpec{
           "chain-b", WindowType::Blackout, {Daily{clock(8, 30), clock(9, 30)}}, {false, {"dev@example.com"}, {}}},
       WindowSpec{"overlapping",
                  WindowType::Blackout,
                  {Once{local(2024, 3, 10, 10), local(2024, 3, 10, 12)},
                   Once{local(2024, 3, 10, 11), local(2024, 3, 10, 13)}}},
       WindowSpec{"cron", WindowType::Blackout, {Cron{CronSchedule::parse("*/7 10-11 * * *").value(), seconds{90}}}}},
      settings);
}

// Calls check(instant, user) every 29 seconds through two-hour stretches
// around the policy's boundaries, for a user exempt from one window and one
// exempt from none; returns how many calls it made.
template <typename Check>
int for_each_instant_near_the_boundaries(Check check) {
  int calls = 0;
  for (const char* start : {"2024-03-10T04:00:00Z", "2024-03-10T20:00:00Z", "2024-11-03T04:30:00Z",
                            "2024-03-10T06:40:00Z", "2024-03-10T07:50:00Z", "2024-03-10T09:55:00Z"}) {
    const Instant from = utc(start);
    for (Instant at = from; at < from + hours{2}; at += seconds{29}) {
      for (const std::string_view user : {"dev@example.com", "other@example.com"}) {
        check(at, user);
        ++calls;
      }
    }
  }
  return calls;
}

// With one memo reused throughout: always the same decision as without it.
TEST(ScheduleMemo, DecisionsAreTheSameWithAndWithoutTheMemo) {
  const Policy policy = varied_policy();
  ScheduleMemo memo;
  const int compared = for_each_instant_near_the_boundaries([&](Instant at, std::string_view user) {
    ASSERT_EQ(describe(decide_at(policy, at, &memo, user)), describe(decide_at(policy, at, nullptr, user)))
        << format_utc(at) << " " << user;
  });
  EXPECT_EQ(compared, 6 * 2 * 249);
}

// Through a decision memo, whose decisions hold across many of these
// instants: always the same decision as deciding afresh.
TEST(ScheduleMemo, RememberedDecisionsAreTheSameAsDecisionsMadeAfresh) {
  const Policy policy = varied_policy();
  DecisionMemo memo;
  const std::vector<std::string_view> no_groups;
  const int compared = for_each_instant_near_the_boundaries([&](Instant at, std::string_view user) {
    DecisionInput input;
    input.subject = Subject{"team-a", "api", {}, false};
    input.requester = Requester{user, no_groups};
    input.at = at;
    ASSERT_EQ(describe(*memo.decide(policy, input)), describe(decide_at(policy, at, nullptr, user)))
        << format_utc(at) << " " << user;
  });
  EXPECT_EQ(compared, 6 * 2 * 249);
}

TEST(ScheduleMemo, ALongerOccurrenceStartingInsideTheCurrentOneIsReportedFromItsStart) {
  const Policy policy = bind_everywhere({WindowSpec{
      "overlapping",
      WindowType::Blackout,
      {Once{local(2024, 3, 10, 10), local(2024, 3, 10, 12)}, Once{local(2024, 3, 10, 11), local(2024, 3, 10, 13)}}}});
  ScheduleMemo memo;
  EvaluationCost cost;
  const ScheduleMemo::State first = memo.state(policy, 0, utc("2024-03-10T10:30:00Z"), cost);
  ASSERT_TRUE(first.occurrence);
  EXPECT_EQ(format_utc(first.occurrence->to), "2024-03-10T12:00:00Z");
  EXPECT_EQ(first.holds_until, utc("2024-03-10T11:00:00Z"));
  const ScheduleMemo::State later = memo.state(policy, 0, utc("2024-03-10T11:30:00Z"), cost);
  ASSERT_TRUE(later.occurrence);
  EXPECT_EQ(format_utc(later.occurrence->to), "2024-03-10T13:00:00Z");
  EXPECT_EQ(later.activity_holds_until, utc("2024-03-10T13:00:00Z"));
}

// The schedule looks for changes at most Schedule::kSearchHorizon ahead: "no
// change" seen from one instant must not be reused where a change comes into view.
TEST(ScheduleMemo, NoChangeInSightIsNotReusedWhereAChangeComesIntoView) {
  const Policy policy =
      bind_everywhere({WindowSpec{"far", WindowType::Blackout, {Once{local(2040, 1, 1), local(2040, 1, 2)}}}});
  ScheduleMemo memo;
  EvaluationCost cost;
  EXPECT_EQ(memo.state(policy, 0, utc("2024-01-01T00:00:00Z"), cost).holds_until, utc("2024-01-01T00:00:01Z"));
  EXPECT_EQ(memo.state(policy, 0, utc("2034-06-01T00:00:00Z"), cost).holds_until, utc("2040-01-01T00:00:00Z"));
}

TEST(ScheduleMemo, InstantsOutOfOrderAreAnsweredForThemselves) {
  const Policy policy = bind_everywhere({WindowSpec{"short", WindowType::Blackout, {Daily{clock(12), clock(12, 1)}}}});
  ScheduleMemo memo;
  EXPECT_TRUE(decide_at(policy, utc("2024-05-04T12:00:59Z"), &memo).allowed == false);
  EXPECT_TRUE(decide_at(policy, utc("2024-05-04T12:01:00Z"), &memo).allowed);
  EXPECT_FALSE(decide_at(policy, utc("2024-05-04T12:00:00Z"), &memo).allowed);  // the clock stepped back
  EXPECT_TRUE(decide_at(policy, utc("2024-05-04T11:59:59Z"), &memo).allowed);
}

TEST(ScheduleMemo, ANewPolicyIsNotAnsweredFromTheOldOnesMemo) {
  const Policy frozen = bind_everywhere({WindowSpec{"all-day", WindowType::Blackout, {Daily{clock(0), clock(0)}}}});
  const Policy open = bind_everywhere({WindowSpec{"never", WindowType::Blackout, {Daily{clock(3), clock(4)}}}});
  ScheduleMemo memo;
  const Instant at = utc("2024-05-04T12:00:00Z");
  EXPECT_FALSE(decide_at(frozen, at, &memo).allowed);
  EXPECT_TRUE(decide_at(open, at, &memo).allowed);
  EXPECT_FALSE(decide_at(frozen, at, &memo).allowed);
}

// Before 1972 Monrovia was 44 minutes 30 seconds behind UTC, so a local
// 10:00 fell at 10:44:30 UTC, in the middle of a UTC minute.
TEST(ScheduleMemo, BoundariesInsideAMinuteAreExact) {
  const Policy policy = bind_everywhere({WindowSpec{"morning",
                                                    WindowType::Blackout,
                                                    {Daily{clock(10), clock(11)}},
                                                    {},
                                                    ActionSet::all(),
                                                    std::nullopt,
                                                    std::nullopt,
                                                    "Africa/Monrovia"}});
  ScheduleMemo memo;
  EXPECT_TRUE(decide_at(policy, utc("1971-06-01T10:44:00Z"), &memo).allowed);
  EXPECT_FALSE(decide_at(policy, utc("1971-06-01T10:44:30Z"), &memo).allowed);
  EXPECT_TRUE(decide_at(policy, utc("1971-06-01T10:44:29Z"), &memo).allowed);
}

// The blackout starts 30 seconds past the search horizon of noon.
TEST(ScheduleMemo, AChangeJustPastTheHorizonIsSeenOnceItComesWithin) {
  const Instant noon = utc("2024-03-12T12:00:00Z");
  const Instant start = noon + Schedule::kSearchHorizon + seconds{30};
  const Policy policy = bind_everywhere(
      {WindowSpec{"late", WindowType::Blackout, {Once{testing::local_of(start), testing::local_of(start) + days{1}}}}});
  ScheduleMemo memo;
  EvaluationCost cost;
  const ScheduleMemo::State now = memo.state(policy, 0, noon, cost);
  EXPECT_EQ(now.holds_until, noon + seconds{1});
  EXPECT_EQ(now.activity_holds_until, noon + Schedule::kSearchHorizon);
  EXPECT_EQ(memo.state(policy, 0, noon + seconds{40}, cost).holds_until, start);
}

// An occurrence's end is known from its start, however far past the horizon.
TEST(ScheduleMemo, AnActiveWindowHoldsUntilItsOccurrenceEndsEvenPastTheHorizon) {
  const Instant noon = utc("2024-03-12T12:00:00Z");
  const Instant end = noon + Schedule::kSearchHorizon + seconds{30};
  const Policy policy =
      bind_everywhere({WindowSpec{"long", WindowType::Blackout, {Once{local(2020, 1, 1), testing::local_of(end)}}}});
  ScheduleMemo memo;
  EvaluationCost cost;
  EXPECT_EQ(memo.state(policy, 0, noon, cost).holds_until, end);
}

}  // namespace
}  // namespace windowguard::core
