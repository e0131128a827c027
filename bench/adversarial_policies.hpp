#pragma once
// The policies of bench/adversarial/, loaded, each with the instant at which a
// deploy of `web` in `prod` by `dev` is denied (the file's first line), for
// the benchmark and for the tests that bound the same decisions.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision.hpp"
#include "core/schedule/time_text.hpp"
#include "policy/policy_loader.hpp"

namespace windowguard::bench {

struct AdversarialPolicy {
  std::string name;  // the file's name without .yaml
  std::shared_ptr<const core::Policy> policy;
  core::Instant denied_at;
};

// The policy files of bench/adversarial/, in name order.
inline std::vector<std::filesystem::path> adversarial_policy_files(const std::filesystem::path& source_directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(source_directory / "bench" / "adversarial")) {
    if (entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every policy of the directory, loaded; an unreadable one has no policy.
inline std::vector<AdversarialPolicy> load_adversarial_policies(const std::filesystem::path& source_directory) {
  std::vector<AdversarialPolicy> loaded;
  for (const auto& file : adversarial_policy_files(source_directory)) {
    const std::string contents = file_text(file);
    constexpr std::string_view kAtPrefix = "# at: ";
    const std::string first_line = contents.substr(0, contents.find('\n'));
    const auto at =
        first_line.starts_with(kAtPrefix) ? core::parse_rfc3339(first_line.substr(kAtPrefix.size())) : std::nullopt;
    auto result = policy::load_policy({{file.filename().string(), contents}});
    loaded.push_back({file.stem().string(), result ? result->policy : nullptr, at.value_or(core::Instant{})});
  }
  return loaded;
}

// The denied request: a deploy of `web` in `prod` by `dev`.
inline core::DecisionInput adversarial_request(core::Instant at) {
  core::DecisionInput input;
  input.action = core::Action::Deploy;
  input.subject = core::Subject{"prod", "web", {}, false};
  input.requester = core::Requester{"dev", {}};
  input.at = at;
  return input;
}

}  // namespace windowguard::bench
