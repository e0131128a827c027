#pragma once
// Everything a decision says, as text, so that two decisions compare in full
// and a difference shows in the test's output.
#include <sstream>
#include <string>

#include "core/decision.hpp"
#include "core/schedule/time_text.hpp"

namespace windowguard::testing {

inline std::string describe(const core::Decision& decision) {
  std::ostringstream out;
  const auto instant = [&](const std::optional<core::Instant>& at) {
    out << (at ? core::format_utc(*at) : "-") << ' ';
  };
  const auto occurrence = [&](const std::optional<core::Occurrence>& o) {
    o ? out << core::format_utc(o->from) << '/' << core::format_utc(o->to) << ' ' : out << "- ";
  };
  out << decision.allowed << ' ' << static_cast<int>(decision.verdict) << " windows:";
  for (const core::WindowStatus& status : decision.windows) {
    out << status.window << ',' << status.active << ',' << status.exempt << ',';
    occurrence(status.occurrence);
  }
  out << "deciding:" << decision.deciding_window.value_or(999) << ' ';
  occurrence(decision.deciding_occurrence);
  instant(decision.blocked_until);
  out << "bypassed:";
  for (std::size_t window : decision.bypassed) {
    out << window << ',';
  }
  if (decision.upcoming) {
    out << " upcoming:" << decision.upcoming->window << ' ';
    instant(decision.upcoming->starts);
  }
  return out.str();
}

}  // namespace windowguard::testing
