#include "cli/request_writing.hpp"

#include <chrono>
#include <sstream>

#include "cli/commands.hpp"

namespace windowguard::cli {

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream parts(text);
  for (std::string item; std::getline(parts, item, ',');) {
    if (!item.empty()) {
      items.push_back(item);
    }
  }
  return items;
}

Result<std::string> namespace_option(const boost::program_options::variables_map& values) {
  if (values.count("namespace") != 0) {
    return values["namespace"].as<std::string>();
  }
  return kubectl_namespace();
}

int kubectl_failed(const Result<KubectlResult>& result, std::ostream& err) {
  if (!result) {
    err << "windowguard: " << result.error().message << '\n';
    return kExitUsage;
  }
  err << result->err;
  return result->exit_code == 0 ? kExitOk : kExitDenied;
}

core::Instant now() { return date::floor<core::seconds>(std::chrono::system_clock::now()); }

}  // namespace windowguard::cli
