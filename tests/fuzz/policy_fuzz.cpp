// Untrusted bytes as a policy file: the loader must report errors, never crash,
// and a policy it accepts must be usable, and decided within the engine's
// bound on work (support/decision_bounds.hpp) in each environment it binds.
// From a line "BEGIN:VCALENDAR" on, the bytes are the iCalendar file
// "holidays.ics" beside it, which its windows may name.
#include <cstdint>
#include <string>
#include <vector>

#include "core/decision.hpp"
#include "core/schedule/upcoming.hpp"
#include "policy/policy_loader.hpp"
#include "support/decision_bounds.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace windowguard;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t calendar = input.find("BEGIN:VCALENDAR");
  std::vector<policy::PolicySource> sources{{"fuzz.yaml", input.substr(0, calendar)}};
  if (calendar != std::string::npos) {
    sources.push_back({"holidays.ics", input.substr(calendar)});
  }
  const auto result = policy::load_policy(sources);
  if (result) {
    const core::Policy& loaded = *result->policy;
    core::ListingRequest request;
    request.at = core::Instant{core::seconds{1'795'000'000}};
    request.ahead = core::days{30};
    (void)core::list_occurrences(loaded, request);
    for (const core::Binding& binding : loaded.bindings()) {
      if (binding.environments.empty()) {
        continue;
      }
      core::DecisionInput input;
      input.subject = core::Subject{binding.environments.front(), "web", {}, false};
      input.requester = core::Requester{"dev", {}};
      input.at = request.at;
      const core::Decision decision = core::decide(loaded, input);
      if (!testing::bound_for(loaded, input, decision).holds_for(decision)) {
        __builtin_trap();  // more work than the engine promises
      }
    }
  } else if (result.error().empty()) {
    __builtin_trap();  // rejected without a reason
  }
  return 0;
}
