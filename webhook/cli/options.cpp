#include "cli/options.hpp"

#include <algorithm>
#include <sstream>

#include "core/schedule/time_text.hpp"
#include "policy/policy_directory.hpp"

namespace windowguard::cli {
namespace {

std::string& called_name() {
  static std::string name = "windowguard";
  return name;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

void set_program_name(std::string_view invoked_as) {
  constexpr std::string_view kPluginPrefix = "kubectl-";
  const std::size_t slash = invoked_as.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? invoked_as : invoked_as.substr(slash + 1);
  if (!base.starts_with(kPluginPrefix)) {
    called_name() = "windowguard";
    return;
  }
  // kubectl runs `kubectl foo-bar` as kubectl-foo_bar.
  std::string plugin(base.substr(kPluginPrefix.size()));
  std::replace(plugin.begin(), plugin.end(), '_', '-');
  called_name() = "kubectl " + plugin;
}

const std::string& program_name() { return called_name(); }

std::string as_called(std::string text) {
  if (program_name() != "windowguard") {
    replace_all(text, "usage: windowguard", "usage: " + program_name());
    replace_all(text, "(windowguard ", "(" + program_name() + " ");
  }
  return text;
}

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
    std::ostringstream help;
    help << options;
    err << program_name() << ' ' << verb << ": " << problem.what() << "\n\n" << as_called(help.str());
    parsed.exit_code = kExitUsage;
    return parsed;
  }
  if (parsed.values.count("help") != 0) {
    std::ostringstream help;
    help << options;
    out << as_called(help.str());
    parsed.exit_code = kExitOk;
  }
  return parsed;
}

int usage_error(std::ostream& err, const std::string& verb, const std::string& message) {
  err << program_name() << ' ' << verb << ": " << message << '\n';
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
