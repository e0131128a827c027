#include <ostream>

#include "cli/commands.hpp"
#include "policy/policy_loader.hpp"

namespace windowguard::cli {

int run_lint(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  if (arguments.size() == 1 && (arguments[0] == "--help" || arguments[0] == "-h")) {
    out << "usage: windowguard lint DIR\n\n"
           "Validates every *.yaml / *.yml file in DIR as one policy. Prints each error as\n"
           "file:line:column: message. Exit 0 when valid, 2 otherwise.\n";
    return kExitOk;
  }
  if (arguments.size() != 1) {
    err << "usage: windowguard lint DIR\n";
    return kExitUsage;
  }
  const policy::LoadResult result = policy::load_policy_directory(arguments[0]);
  for (const policy::PolicyError& error : result.errors) {
    err << error.to_string() << '\n';
  }
  if (!result.policy) {
    err << arguments[0] << ": policy rejected (" << result.errors.size()
        << (result.errors.size() == 1 ? " error)\n" : " errors)\n");
    return kExitUsage;
  }
  out << arguments[0] << ": valid (" << result.policy->windows().size() << " windows, "
      << result.policy->bindings().size() << " bindings)\n";
  return kExitOk;
}

}  // namespace windowguard::cli
