#pragma once
// What every verb's command line handling shares: parsing with Boost's
// program_options, --help, and usage errors in one format.
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "core/schedule/time.hpp"

namespace windowguard::cli {

namespace po = boost::program_options;

// The name the user called windowguard by, for usage texts: "kubectl
// windowguard" when kubectl ran it as a plugin (kubectl-windowguard), else
// "windowguard".  main() sets it from argv[0].
void set_program_name(std::string_view invoked_as);
const std::string& program_name();
// `text` with "usage: windowguard" and "(windowguard " naming the program as
// it was called.
std::string as_called(std::string text);

struct ParsedOptions {
  po::variables_map values;
  std::optional<int> exit_code;  // set when the verb is done: --help shown, or a usage error
};

// Parses `arguments` (and, when given, environment variables through
// `variable_to_option`, and words without an option name as `positional`
// says); prints --help to `out` and errors to `err`.
ParsedOptions parse_options(const std::string& verb, const po::options_description& options, const Arguments& arguments,
                            std::ostream& out, std::ostream& err,
                            const std::function<std::string(const std::string&)>& variable_to_option = {},
                            const po::positional_options_description* positional = nullptr);

// Prints "windowguard VERB: MESSAGE" (the program as it was called) and
// returns the usage exit code.
int usage_error(std::ostream& err, const std::string& verb, const std::string& message);

// The --at option as an instant, now when absent.
Result<core::Instant> instant_option(const po::variables_map& values);

// The policy in the --policies directory; null, with each error printed to
// `err` as file:line:column, when it does not load.
std::shared_ptr<const core::Policy> load_policies_option(const po::variables_map& values, std::ostream& err);

}  // namespace windowguard::cli
