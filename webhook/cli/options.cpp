#include "cli/options.hpp"

#include "core/time_text.hpp"
#include "policy/policy_directory.hpp"

namespace windowguard::cli {

ParsedOptions parse_options(const std::string& verb, const po::options_description& options, const Arguments& arguments,
                            std::ostream& out, std::ostream& err,
                            const std::function<std::string(const std::string&)>& variable_to_option,
                            const po::positional_options_description* positional) {
  ParsedOptions parsed;
  try {
    po::command_line_parser parser(arguments);
    parser.options(options);
    if (positional != nullptr) {
      parser.positional(*positional);
    }
    po::store(parser.run(), parsed.values);
    if (variable_to_option) {
      po::store(po::parse_environment(options, variable_to_option), parsed.values);
    }
    po::notify(parsed.values);
  } catch (const po::error& problem) {
    err << "windowguard " << verb << ": " << problem.what() << "\n\n" << options;
    parsed.exit_code = kExitUsage;
    return parsed;
  }
  if (parsed.values.count("help") != 0) {
    out << options;
    parsed.exit_code = kExitOk;
  }
  return parsed;
}

int usage_error(std::ostream& err, const std::string& verb, const std::string& message) {
  err << "windowguard " << verb << ": " << message << '\n';
  return kExitUsage;
}

Result<core::Instant> instant_option(const po::variables_map& values) {
  if (values.count("at") == 0) {
    return core::Instant{date::floor<core::seconds>(std::chrono::system_clock::now())};
  }
  if (const auto at = core::parse_rfc3339(values["at"].as<std::string>())) {
    return *at;
  }
  return Problem("--at must be an RFC 3339 instant such as 2024-06-21T18:00:00Z");
}

std::shared_ptr<const core::Policy> load_policies_option(const po::variables_map& values, std::ostream& err) {
  auto loaded = policy::load_policy_directory(values["policies"].as<std::string>());
  if (!loaded) {
    for (const Problem& error : loaded.error()) {
      err << error.to_string() << '\n';
    }
    return nullptr;
  }
  return std::move(loaded->policy);
}

}  // namespace windowguard::cli
