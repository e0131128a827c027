#pragma once
// A policy directory on disk, including a mounted ConfigMap volume: which
// files it holds, read from one consistent version of it.
#include <filesystem>
#include <system_error>
#include <vector>

#include "core/result.hpp"
#include "policy/policy_compiler.hpp"

namespace windowguard::policy {

// The files a policy directory consists of: every *.yaml / *.yml file and
// every iCalendar file (*.ics, for `calendar:` durations) directly in it
// (hidden names, such as a ConfigMap volume's "..data", are skipped), in name
// order.
std::vector<std::filesystem::path> list_policy_files(const std::filesystem::path& directory, std::error_code& error);

// The folder holding one consistent version of a directory: for a ConfigMap
// volume (or the sidecar's publish directory), where its "..data" link points
// now; otherwise the directory itself.  Reading through it, a "..data" swap
// during the read cannot mix files of two versions.
std::filesystem::path current_version_of(const std::filesystem::path& directory);

// Loads the policy files of `directory` (list_policy_files, read through
// current_version_of) as one policy.
Result<LoadedPolicy, Problems> load_policy_directory(const std::filesystem::path& directory);

}  // namespace windowguard::policy
