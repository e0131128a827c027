#include "policy/policy_directory.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "policy/calendar_reader.hpp"
#include "policy/policy_loader.hpp"

namespace windowguard::policy {
namespace {

Problems whole_file_problem(const std::filesystem::path& file, std::string message) {
  return {Problem{{file.string()}, std::move(message)}};
}

}  // namespace

std::vector<std::filesystem::path> list_policy_files(const std::filesystem::path& directory, std::error_code& error) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    const std::string extension = entry.path().extension().string();
    std::error_code not_a_file;
    if (name.front() != '.' && (extension == ".yaml" || extension == ".yml" || extension == ".ics") &&
        entry.is_regular_file(not_a_file)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::filesystem::path current_version_of(const std::filesystem::path& directory) {
  std::error_code problem;
  const std::filesystem::path data = directory / "..data";
  if (!std::filesystem::is_directory(data, problem)) {
    return directory;
  }
  std::filesystem::path version = std::filesystem::canonical(data, problem);
  return problem ? directory : version;
}

Result<LoadedPolicy, Problems> load_policy_directory(const std::filesystem::path& directory) {
  std::error_code problem;
  if (!std::filesystem::is_directory(directory, problem)) {
    return whole_file_problem(directory, "is not a readable directory of policy files");
  }
  const std::vector<std::filesystem::path> files = list_policy_files(current_version_of(directory), problem);
  if (problem) {
    return whole_file_problem(directory, "cannot be listed: " + problem.message());
  }
  if (std::all_of(files.begin(), files.end(),
                  [](const std::filesystem::path& file) { return is_calendar_file(file.filename().string()); })) {
    return whole_file_problem(directory, "holds no policy files (*.yaml or *.yml)");
  }
  std::vector<PolicySource> sources;
  for (const auto& file : files) {
    // Named as the directory the user gave, not the version folder behind it.
    const std::filesystem::path shown = directory / file.filename();
    std::ifstream stream(file, std::ios::binary);
    if (!stream.is_open()) {
      const int reason = errno;  // set by the failed open(2)
      return whole_file_problem(shown, "cannot be read: " + std::generic_category().message(reason));
    }
    std::ostringstream text;
    text << stream.rdbuf();
    if (!stream) {
      return whole_file_problem(shown, "cannot be read");
    }
    sources.push_back({shown.string(), text.str()});
  }
  return load_policy(sources);
}

}  // namespace windowguard::policy
