#include "core/schedule/cron.hpp"

#include <gtest/gtest.h>

namespace windowguard::core {
namespace {

CronSchedule parse(const char* expression) {
  auto parsed = CronSchedule::parse(expression);
  if (!parsed) {
    ADD_FAILURE() << expression << ": " << parsed.error().message;
    return CronSchedule::parse("* * * * *").value();
  }
  return std::move(parsed).value();
}

date::year_month_day day(int y, unsigned m, unsigned d) { return {date::year{y}, date::month{m}, date::day{d}}; }

TEST(CronSchedule, MinutesAndHoursWithListsRangesAndSteps) {
  const CronSchedule schedule = parse("0,30 9-17/4 * * *");
  EXPECT_EQ(schedule.minutes(), (std::vector<int>{0, 30}));
  EXPECT_EQ(schedule.hours(), (std::vector<int>{9, 13, 17}));
}

TEST(CronSchedule, StepFromAValueRunsToTheEndOfTheRange) {
  const CronSchedule schedule = parse("50/5 * * * *");
  EXPECT_EQ(schedule.minutes(), (std::vector<int>{50, 55}));
  EXPECT_EQ(schedule.hours().size(), 24U);
}

TEST(CronSchedule, NamesAreCaseInsensitiveAndSevenIsSunday) {
  const CronSchedule weekend = parse("0 0 * * sat,7");
  EXPECT_TRUE(weekend.matches_day(day(2024, 5, 4)));   // Saturday
  EXPECT_TRUE(weekend.matches_day(day(2024, 5, 5)));   // Sunday
  EXPECT_FALSE(weekend.matches_day(day(2024, 5, 6)));  // Monday
  const CronSchedule december = parse("0 0 * DEC Mon");
  EXPECT_TRUE(december.matches_day(day(2024, 12, 2)));
  EXPECT_FALSE(december.matches_day(day(2024, 11, 4)));
}

TEST(CronSchedule, BothDayFieldsRestrictedMeansEither) {
  // Vixie cron: the 13th of the month OR any Friday.
  const CronSchedule schedule = parse("0 0 13 * 5");
  EXPECT_TRUE(schedule.matches_day(day(2024, 5, 13)));   // Monday the 13th
  EXPECT_TRUE(schedule.matches_day(day(2024, 5, 3)));    // Friday the 3rd
  EXPECT_FALSE(schedule.matches_day(day(2024, 5, 14)));  // Tuesday the 14th
}

TEST(CronSchedule, AStarredDayFieldCountsAsUnrestrictedSoBothMustMatch) {
  // "*/2" starts with '*': day-of-month is unrestricted, so both fields must match.
  const CronSchedule schedule = parse("0 0 */2 * 1");
  EXPECT_TRUE(schedule.matches_day(day(2024, 5, 13)));   // Monday, odd day
  EXPECT_FALSE(schedule.matches_day(day(2024, 5, 6)));   // Monday, even day
  EXPECT_FALSE(schedule.matches_day(day(2024, 5, 15)));  // Wednesday, odd day
}

TEST(CronSchedule, OnlyTheDayOfMonthRestricted) {
  const CronSchedule schedule = parse("0 0 1 * *");
  EXPECT_TRUE(schedule.matches_day(day(2024, 6, 1)));
  EXPECT_FALSE(schedule.matches_day(day(2024, 6, 2)));
}

struct BadCron {
  const char* expression;
  const char* message;
};

class CronErrors : public ::testing::TestWithParam<BadCron> {};

TEST_P(CronErrors, ExplainWhatIsWrong) {
  auto parsed = CronSchedule::parse(GetParam().expression);
  ASSERT_FALSE(parsed.ok()) << GetParam().expression;
  EXPECT_EQ(parsed.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronErrors,
    ::testing::Values(BadCron{"0 22 * *", "has 4 fields; expected 5 (minute hour day-of-month month day-of-week)"},
                      BadCron{"60 * * * *", "minute value out of range in \"60\" (0-59)"},
                      BadCron{"* 24 * * *", "hour value out of range in \"24\" (0-23)"},
                      BadCron{"0 0 0 * *", "day-of-month value out of range in \"0\" (1-31)"},
                      BadCron{"0 0 * 13 *", "month value out of range in \"13\" (1-12)"},
                      BadCron{"0 0 * * 8", "day-of-week value out of range in \"8\" (0-7)"},
                      BadCron{"0 0 * * FUN", "\"FUN\" is not a valid day-of-week value (0-7)"},
                      BadCron{"*/0 * * * *", "step \"0\" in minute field must be a positive number"},
                      BadCron{"5-1 * * * *", "minute range \"5-1\" runs backwards"},
                      BadCron{"1,,2 * * * *", "\"\" is not a valid minute value (0-59)"},
                      BadCron{"0 0 31 2 *", "never matches a real date"},
                      BadCron{"0 0 30 feb *", "never matches a real date"}));

TEST(CronSchedule, Feb29IsARealDate) { EXPECT_TRUE(CronSchedule::parse("0 0 29 2 *").ok()); }

}  // namespace
}  // namespace windowguard::core
