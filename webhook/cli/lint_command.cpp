#include <chrono>
#include <ostream>

#include "cli/commands.hpp"
#include "core/policy_warnings.hpp"
#include "core/time_text.hpp"
#include "policy/policy_directory.hpp"

namespace windowguard::cli {
namespace {

constexpr const char* kUsage = "usage: windowguard lint DIR [--strict] [--at RFC3339]\n";

}  // namespace

int run_lint(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  if (arguments.size() == 1 && (arguments[0] == "--help" || arguments[0] == "-h")) {
    out << kUsage
        << "\nValidates every *.yaml / *.yml file in DIR as one policy. Prints each error as\n"
           "file:line:column: message, and each warning about a policy that enforces less than\n"
           "it seems to (a window bound nowhere, ended or never occurring again, a blackout\n"
           "that never ends, a maintenance window always covered, no window at all) as\n"
           "file:line:column: warning: message. Exit 0 when valid, 2 otherwise; with\n"
           "--strict, 2 also when there are warnings. --at replaces \"now\" for the warnings.\n";
    return kExitOk;
  }
  std::string directory;
  bool strict = false;
  std::optional<core::Instant> now = date::floor<core::seconds>(std::chrono::system_clock::now());
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--strict") {
      strict = true;
    } else if (arguments[i] == "--at" && i + 1 < arguments.size()) {
      now = core::parse_rfc3339(arguments[++i]);
      if (!now) {
        err << "windowguard lint: --at must be an RFC 3339 instant, such as 2026-12-24T18:00:00Z\n";
        return kExitUsage;
      }
    } else if (directory.empty() && !arguments[i].starts_with("--")) {
      directory = arguments[i];
    } else {
      err << kUsage;
      return kExitUsage;
    }
  }
  if (directory.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  const auto result = policy::load_policy_directory(directory);
  if (!result) {
    const Problems& problems = result.error();
    for (const Problem& problem : problems) {
      err << problem.to_string() << '\n';
    }
    err << directory << ": policy rejected (" << problems.size() << (problems.size() == 1 ? " error)\n" : " errors)\n");
    return kExitUsage;
  }
  const core::Policy& policy = *result->policy;
  for (const Problem& warning : result->text_warnings) {
    err << Problem{warning.where, "warning: " + warning.message}.to_string() << '\n';
  }
  const std::vector<core::PolicyWarning> warnings = core::find_policy_warnings(policy, *now);
  for (const core::PolicyWarning& warning : warnings) {
    const Location where = warning.window          ? result->window_locations[*warning.window]
                           : warning.approval_rule ? result->approval_rule_locations[*warning.approval_rule]
                                                   : Location{directory};
    const Problem located{where, "warning: " + warning.message};
    err << located.to_string() << '\n';
  }
  const auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  out << directory << ": valid (" << count(policy.windows().size(), "window", "windows") << ", "
      << count(policy.bindings().size(), "binding", "bindings") << ", "
      << count(policy.image_rules().approvals.size(), "approvals rule", "approvals rules") << ", "
      << count(policy.image_rules().image_policies.size(), "image policy", "image policies") << ", "
      << count(policy.static_exceptions().size(), "exception", "exceptions") << ", "
      << count(result->calendar_files, "calendar", "calendars");
  const std::size_t warned = warnings.size() + result->text_warnings.size();
  if (warned != 0) {
    out << ", " << warned << (warned == 1 ? " warning" : " warnings");
  }
  out << ")\n";
  return strict && warned != 0 ? kExitUsage : kExitOk;
}

}  // namespace windowguard::cli
