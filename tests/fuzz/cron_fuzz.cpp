// Untrusted bytes as a cron expression and as every value form of docs/policy.md.
#include <cstdint>
#include <string_view>

#include "core/schedule/cron.hpp"
#include "core/schedule/time_text.hpp"
#include "policy/value_forms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace windowguard;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cron = core::CronSchedule::parse(text);
  if (cron) {
    (void)cron->matches_day(date::year{2024} / 2 / 29);
  }
  (void)policy::parse_clock_time(text);
  (void)policy::parse_weekday_time(text);
  (void)policy::parse_month_day_time(text);
  (void)policy::parse_year_day_time(text);
  (void)policy::parse_date_or_date_time(text);
  (void)policy::parse_go_duration(text);
  (void)policy::parse_fixed_offset(text);
  (void)core::parse_rfc3339(text);
  return 0;
}
