#pragma once
// YAML policy files -> the compiled core::Policy, or every error found with
// its file:line:column.  A set of files with any error yields no policy.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/policy.hpp"
#include "policy/policy_error.hpp"

namespace windowguard::policy {

struct PolicySource {
  std::string file;  // the name used in error locations
  std::string text;
};

struct LoadResult {
  std::shared_ptr<const core::Policy> policy;  // null when errors is not empty
  std::vector<PolicyError> errors;
  // With a policy: where each of its windows is defined (its name), by index,
  // for messages about a window; the message is empty.
  std::vector<PolicyError> window_locations;
};

// Loads the given files as one policy (all documents of all files merged).
LoadResult load_policy(const std::vector<PolicySource>& sources);

// The files a policy directory consists of: every *.yaml / *.yml file directly
// in it (hidden names, such as a ConfigMap volume's "..data", are skipped), in
// name order.
std::vector<std::filesystem::path> list_policy_files(const std::filesystem::path& directory, std::error_code& error);

// The folder holding one consistent version of a directory: for a ConfigMap
// volume (or the sidecar's publish directory), where its "..data" link points
// now; otherwise the directory itself.  Reading through it, a "..data" swap
// during the read cannot mix files of two versions.
std::filesystem::path current_version_of(const std::filesystem::path& directory);

// Loads every *.yaml / *.yml file directly in `directory` (hidden names, such as
// a ConfigMap volume's "..data", are skipped), in name order.
LoadResult load_policy_directory(const std::filesystem::path& directory);

}  // namespace windowguard::policy
