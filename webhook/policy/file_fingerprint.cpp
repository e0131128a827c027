#include "policy/file_fingerprint.hpp"

#include <filesystem>

#include "policy/policy_directory.hpp"

namespace windowguard::policy {
namespace {

namespace fs = std::filesystem;

void describe(const fs::path& path, std::string& out) {
  std::error_code error;
  const fs::path target = fs::canonical(path, error);
  if (error) {
    out += path.string() + " missing;";
    return;
  }
  const auto size = fs::file_size(target, error);
  const auto modified = fs::last_write_time(target, error).time_since_epoch().count();
  out += path.string() + " -> " + target.string() + " " + std::to_string(error ? 0 : size) + " " +
         std::to_string(error ? 0 : modified) + ";";
}

}  // namespace

std::string fingerprint_files(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& path : paths) {
    describe(path, out);
  }
  return out;
}

std::string fingerprint_policy_directory(const std::string& directory) {
  std::string out;
  describe(directory, out);
  std::error_code error;
  for (const fs::path& file : policy::list_policy_files(directory, error)) {
    describe(file, out);
  }
  return out;
}

}  // namespace windowguard::policy
