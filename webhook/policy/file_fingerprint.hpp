#pragma once
// Detects that mounted files changed, including Kubernetes' way of changing
// them: an atomic swap of the "..data" symlink to a new timestamped folder.
#include <string>
#include <vector>

namespace windowguard::policy {

// Where each path really points (after symlinks), with its size and
// modification time; "missing" for a path that cannot be resolved.
std::string fingerprint_files(const std::vector<std::string>& paths);

// The same for every *.yaml / *.yml file in a directory (what the policy
// loader reads), plus where the directory itself points.
std::string fingerprint_policy_directory(const std::string& directory);

}  // namespace windowguard::policy
