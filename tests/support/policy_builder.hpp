#pragma once
// Builds core policies directly, for tests of the core that should not depend
// on the YAML loader.
#include <string>
#include <vector>

#include "core/policy.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::testing {

struct WindowSpec {
  std::string name;
  core::WindowType type = core::WindowType::Blackout;
  std::vector<core::Recurrence> recurrences;
  core::Exemptions exempt = {};
  core::ActionSet actions = core::ActionSet::all();
  std::optional<core::LocalTime> valid_from = std::nullopt;
  std::optional<core::LocalTime> valid_until = std::nullopt;
  const char* zone_name = "UTC";
  std::optional<core::ExceptionRule> exceptions = std::nullopt;
};

inline core::Window make_window(WindowSpec spec) {
  return core::Window{
      spec.name,
      "",
      spec.type,
      core::Schedule(zone(spec.zone_name), std::move(spec.recurrences), spec.valid_from, spec.valid_until),
      std::move(spec.exempt),
      spec.actions,
      "message of " + spec.name,
      std::move(spec.exceptions)};
}

// Every window bound to every environment.
inline core::Policy bind_everywhere(std::vector<WindowSpec> specs, core::Settings settings = {}) {
  std::vector<core::Window> windows;
  core::Binding binding{{}, {"*"}, {}, std::nullopt};
  for (auto& spec : specs) {
    binding.windows.push_back(windows.size());
    windows.push_back(make_window(std::move(spec)));
  }
  return core::Policy(std::move(windows), {binding}, std::move(settings));
}

}  // namespace windowguard::testing
