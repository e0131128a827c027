#pragma once
#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/schedule/time.hpp"

namespace windowguard::core {

// A five-field cron schedule (minute hour day-of-month month day-of-week) with
// Vixie cron's day rule: when both day fields are restricted, a day matches if
// either does; a field starting with '*' (including "*/2") is unrestricted.
class CronSchedule {
 public:
  // The problem's message says what is wrong, without the expression itself.
  static Result<CronSchedule> parse(std::string_view expression);

  bool matches_day(date::year_month_day day) const;
  // The matching hours and minutes in ascending order (enumeration skips the rest).
  const std::vector<int>& hours() const { return hour_list_; }
  const std::vector<int>& minutes() const { return minute_list_; }
  // False when no calendar day can ever match (e.g. "0 0 31 2 *").
  bool can_match_some_day() const;
  // The first matching minute at or after `from`, on a day no later than
  // `last_day`; the last at or before `until`, on a day no earlier than
  // `first_day`.  Day by day, a month at a time through months that do not
  // match: cost in proportion to the days looked at.
  std::optional<LocalTime> first_fire_at_or_after(LocalTime from, LocalDay last_day) const;
  std::optional<LocalTime> last_fire_at_or_before(LocalTime until, LocalDay first_day) const;
  const std::string& expression() const { return expression_; }

 private:
  std::string expression_;
  std::bitset<32> days_of_month_;  // bit 0 unused
  std::bitset<13> months_;         // bit 0 unused
  std::bitset<7> days_of_week_;    // 0 = Sunday
  std::vector<int> hour_list_;
  std::vector<int> minute_list_;
  std::vector<int> times_of_day_;  // minutes since midnight of every matching hour and minute, ascending
  bool day_of_month_unrestricted_ = false;
  bool day_of_week_unrestricted_ = false;
};

}  // namespace windowguard::core
