#include "policy/value_forms.hpp"

#include <gtest/gtest.h>

namespace windowguard::policy {
namespace {

template <typename T>
T value(const Result<T>& parsed) {
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    return T{};
  }
  return *parsed;
}

template <typename T>
std::string problem(const Result<T>& parsed) {
  return parsed ? "accepted" : parsed.error().message;
}

TEST(ValueForms, ClockTimes) {
  EXPECT_EQ(value(parse_clock_time("00:00")), core::minutes{0});
  EXPECT_EQ(value(parse_clock_time("23:59")), core::minutes{23 * 60 + 59});
  EXPECT_EQ(value(parse_clock_time("7:05")), core::minutes{7 * 60 + 5});
  for (const char* bad : {"", "24:00", "12:60", "12", "12:5", "123:00", "ab:cd", "12:00:00", " 12:00"}) {
    EXPECT_NE(problem(parse_clock_time(bad)), "accepted") << bad;
  }
}

TEST(ValueForms, DayNamesThreeLettersOrFullAnyCase) {
  EXPECT_EQ(value(parse_weekday("Wed")), date::Wednesday);
  EXPECT_EQ(value(parse_weekday("wednesday")), date::Wednesday);
  EXPECT_EQ(value(parse_weekday("SUN")), date::Sunday);
  EXPECT_EQ(problem(parse_weekday("We")),
            "\"We\" is not a day of the week; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun");
  const core::WeekdayTime sat = value(parse_weekday_time("Saturday 06:30"));
  EXPECT_EQ(sat.day, date::Saturday);
  EXPECT_EQ(sat.time, core::minutes{390});
}

// A 12-hour suffix is the value's fault as a whole: the message quotes all
// of it and does not blame the (valid) day.
TEST(ValueForms, ATrailingWordAfterTheTimeIsReportedWhole) {
  EXPECT_EQ(problem(parse_weekday_time("Fri 17:00 PM")),
            R"("Fri 17:00 PM" is not a day and time; expected "Day HH:MM", e.g. "Sat 00:00")");
  EXPECT_EQ(problem(parse_month_day_time("1 05:00 AM")),
            R"("1 05:00 AM" is not a day of the month and time; expected "D HH:MM", e.g. "1 22:30" or "-1 22:30")");
  EXPECT_EQ(value(parse_weekday_time("Sat  06:30")).day, date::Saturday);
}

TEST(ValueForms, MonthDays) {
  EXPECT_EQ(value(parse_month_day_time("-1 22:30")).day, -1);
  EXPECT_EQ(value(parse_month_day_time("31 00:00")).day, 31);
  EXPECT_EQ(value(parse_month_day_time("-31 00:00")).day, -31);
  for (const char* bad : {"0 00:00", "32 00:00", "-32 00:00", "x 00:00", "1", "1 25:00", "--1 00:00"}) {
    EXPECT_NE(problem(parse_month_day_time(bad)), "accepted") << bad;
  }
}

TEST(ValueForms, YearDays) {
  const core::YearDayTime leap = value(parse_year_day_time("feb 29 12:00"));
  EXPECT_EQ(leap.month, date::February);
  EXPECT_EQ(leap.day, date::day{29});
  EXPECT_EQ(value(parse_year_day_time("December 20 00:00")).month, date::December);
  for (const char* bad : {"Apr 31 00:00", "Feb 30 00:00", "Dez 1 00:00", "Dec 00:00", "Dec 0 00:00", "Dec 1"}) {
    EXPECT_NE(problem(parse_year_day_time(bad)), "accepted") << bad;
  }
}

TEST(ValueForms, DateTimesWithSpaceOrT) {
  EXPECT_EQ(value(parse_local_date_time("2024-06-20 20:00")), value(parse_local_date_time("2024-06-20T20:00")));
  EXPECT_NE(problem(parse_local_date_time("2024-02-30 20:00")), "accepted");
  EXPECT_NE(problem(parse_local_date_time("2024-06-20")), "accepted");
  EXPECT_TRUE(value(parse_date_or_date_time("2024-06-20")).date_only);
  EXPECT_FALSE(value(parse_date_or_date_time("2024-06-20 00:00")).date_only);
  EXPECT_EQ(problem(parse_date_or_date_time("20-06-2024")), "\"20-06-2024\" is not a date; expected YYYY-MM-DD");
}

TEST(ValueForms, GoDurations) {
  EXPECT_EQ(value(parse_go_duration("58h")), core::hours{58});
  EXPECT_EQ(value(parse_go_duration("1h30m")), core::minutes{90});
  EXPECT_EQ(value(parse_go_duration("90s")), core::seconds{90});
  EXPECT_EQ(value(parse_go_duration("1h1m1s")), core::seconds{3661});
  for (const char* bad : {"", "h", "10", "1d", "1.5h", "-1h", "1h 30m"}) {
    EXPECT_NE(problem(parse_go_duration(bad)), "accepted") << bad;
  }
}

TEST(ValueForms, FixedOffsets) {
  EXPECT_FALSE(is_offset_form("Europe/Berlin"));
  EXPECT_TRUE(is_offset_form("+05:30"));
  EXPECT_TRUE(is_offset_form("-5"));
  EXPECT_EQ(value(parse_fixed_offset("+05:30")), core::minutes{330});
  EXPECT_EQ(value(parse_fixed_offset("-09:30")), core::minutes{-570});
  EXPECT_EQ(value(parse_fixed_offset("+14:00")), core::minutes{840});
  for (const char* bad : {"+14:30", "+5:30", "+05", "-25:00", "+05:60"}) {
    EXPECT_NE(problem(parse_fixed_offset(bad)), "accepted") << bad;
  }
}

}  // namespace
}  // namespace windowguard::policy
