#include "core/schedule/time_text.hpp"

#include <gtest/gtest.h>

#include "support/time_helpers.hpp"

namespace windowguard::core {
namespace {

using testing::utc;
using testing::zone;

TEST(TimeText, FormatsWithTheZonesOffsetAtThatInstant) {
  EXPECT_EQ(format_in_zone(utc("2024-03-10T06:59:59Z"), zone("America/New_York")), "2024-03-10T01:59:59-05:00");
  EXPECT_EQ(format_in_zone(utc("2024-03-10T07:00:00Z"), zone("America/New_York")), "2024-03-10T03:00:00-04:00");
  EXPECT_EQ(format_in_zone(utc("2024-06-20T14:15:00Z"), zone("Asia/Kathmandu")), "2024-06-20T20:00:00+05:45");
  EXPECT_EQ(format_in_zone(utc("2024-06-20T14:15:00Z"), TimeZone::fixed_offset(-minutes{570}, "-09:30")),
            "2024-06-20T04:45:00-09:30");
  EXPECT_EQ(format_utc(utc("2024-12-31T23:59:59Z")), "2024-12-31T23:59:59Z");
}

TEST(TimeText, ParsesRfc3339WithOffsetsAndFractions) {
  EXPECT_EQ(format_utc(utc("2024-06-20T20:00:00+05:45")), "2024-06-20T14:15:00Z");
  EXPECT_EQ(format_utc(utc("2024-06-20T20:00:00-07:00")), "2024-06-21T03:00:00Z");
  EXPECT_EQ(format_utc(utc("2024-06-20T20:00:00.123456Z")), "2024-06-20T20:00:00Z");
}

TEST(TimeText, RejectsWhatIsNotRfc3339) {
  for (const char* text :
       {"", "2024-06-20", "2024-06-20T20:00Z", "2024-06-20 20:00:00Z", "2024-02-30T00:00:00Z", "2024-06-20T24:00:00Z",
        "2024-06-20T20:00:00", "2024-06-20T20:00:00+0545", "2024-06-20T20:00:00.Z", "2024-06-20T20:00:00Zjunk"}) {
    EXPECT_FALSE(parse_rfc3339(text)) << text;
  }
}

}  // namespace
}  // namespace windowguard::core
