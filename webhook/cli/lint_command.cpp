#include <chrono>
#include <ostream>
#include <variant>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/policy_warnings.hpp"
#include "core/schedule/time_text.hpp"
#include "policy/policy_directory.hpp"

namespace windowguard::cli {
namespace {

constexpr const char* kUsage = "usage: windowguard lint DIR [--strict] [--at RFC3339]\n";

struct LintRequest {
  std::string directory;
  bool strict = false;
  core::Instant now;
};

// The arguments, or the exit code when there is nothing to lint: --help
// shown, or a usage error.
std::variant<LintRequest, int> lint_request_of(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  if (arguments.size() == 1 && (arguments[0] == "--help" || arguments[0] == "-h")) {
    out << as_called(kUsage)
        << "\nValidates every *.yaml / *.yml file in DIR as one policy. Prints each error as\n"
           "file:line:column: message, and each warning about a policy that enforces less than\n"
           "it seems to (a window bound nowhere, ended or never occurring again, a blackout\n"
           "that never ends, a maintenance window always covered, no window at all) as\n"
           "file:line:column: warning: message. Exit 0 when valid, 2 otherwise; with\n"
           "--strict, 2 also when there are warnings. --at replaces \"now\" for the warnings.\n";
    return kExitOk;
  }
  LintRequest request{"", false, date::floor<core::seconds>(std::chrono::system_clock::now())};
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--strict") {
      request.strict = true;
    } else if (arguments[i] == "--at" && i + 1 < arguments.size()) {
      const std::optional<core::Instant> at = core::parse_rfc3339(arguments[++i]);
      if (!at) {
        err << program_name() << " lint: --at must be an RFC 3339 instant, such as 2026-12-24T18:00:00Z\n";
        return kExitUsage;
      }
      request.now = *at;
    } else if (request.directory.empty() && !arguments[i].starts_with("--")) {
      request.directory = arguments[i];
    } else {
      err << as_called(kUsage);
      return kExitUsage;
    }
  }
  if (request.directory.empty()) {
    err << as_called(kUsage);
    return kExitUsage;
  }
  return request;
}

// "DIR: valid (8 windows, ..., 1 calendar, 2 warnings)"
void print_summary(const std::string& directory, const policy::LoadedPolicy& loaded, std::size_t warned,
                   std::ostream& out) {
  const core::Policy& policy = *loaded.policy;
  const auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  out << directory << ": valid (" << count(policy.windows().size(), "window", "windows") << ", "
      << count(policy.bindings().size(), "binding", "bindings") << ", "
      << count(policy.image_rules().approvals.size(), "approvals rule", "approvals rules") << ", "
      << count(policy.image_rules().image_policies.size(), "image policy", "image policies") << ", "
      << count(policy.static_exceptions().size(), "exception", "exceptions") << ", "
      << count(loaded.calendar_files, "calendar", "calendars");
  if (warned != 0) {
    out << ", " << warned << (warned == 1 ? " warning" : " warnings");
  }
  out << ")\n";
}

// Every warning at its file:line:column; how many.
std::size_t print_warnings(const LintRequest& request, const policy::LoadedPolicy& loaded, std::ostream& err) {
  for (const Problem& warning : loaded.text_warnings) {
    err << Problem{warning.where, "warning: " + warning.message}.to_string() << '\n';
  }
  const std::vector<core::PolicyWarning> warnings = core::find_policy_warnings(*loaded.policy, request.now);
  for (const core::PolicyWarning& warning : warnings) {
    const Location where = warning.window          ? loaded.window_locations[*warning.window]
                           : warning.approval_rule ? loaded.approval_rule_locations[*warning.approval_rule]
                                                   : Location{request.directory};
    err << Problem{where, "warning: " + warning.message}.to_string() << '\n';
  }
  return warnings.size() + loaded.text_warnings.size();
}

}  // namespace

int run_lint(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  const std::variant<LintRequest, int> parsed = lint_request_of(arguments, out, err);
  if (const int* exit_code = std::get_if<int>(&parsed)) {
    return *exit_code;
  }
  const LintRequest& request = std::get<LintRequest>(parsed);
  const auto result = policy::load_policy_directory(request.directory);
  if (!result) {
    const Problems& problems = result.error();
    for (const Problem& problem : problems) {
      err << problem.to_string() << '\n';
    }
    err << request.directory << ": policy rejected (" << problems.size()
        << (problems.size() == 1 ? " error)\n" : " errors)\n");
    return kExitUsage;
  }
  const std::size_t warned = print_warnings(request, *result, err);
  print_summary(request.directory, *result, warned, out);
  return request.strict && warned != 0 ? kExitUsage : kExitOk;
}

}  // namespace windowguard::cli
