#pragma once
// A directory laid out as kubelet mounts a ConfigMap: <key> -> ..data/<key>,
// ..data -> ..<version>/.  `publish` swaps ..data in one rename(2).
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace windowguard::testing {

class ConfigMapDirectory {
 public:
  explicit ConfigMapDirectory(std::filesystem::path root) : root_(std::move(root)) {
    std::filesystem::create_directories(root_);
  }

  // Publishes a new version with exactly these files (name -> contents),
  // each with `permissions` from the moment the version becomes visible.
  void publish(const std::map<std::string, std::string>& files,
               std::filesystem::perms permissions = std::filesystem::perms(0644)) {
    namespace fs = std::filesystem;
    const std::string version = "..2024_01_01_00_00_" + std::to_string(++versions_);
    fs::create_directories(root_ / version);
    for (const auto& [name, text] : files) {
      std::ofstream(root_ / version / name) << text;
      fs::permissions(root_ / version / name, permissions);
    }
    fs::create_directory_symlink(version, root_ / "..data_tmp");
    fs::rename(root_ / "..data_tmp", root_ / "..data");
    for (const auto& [name, text] : files) {
      if (!fs::is_symlink(root_ / name)) {
        fs::create_symlink(fs::path("..data") / name, root_ / name);
      }
    }
    for (const auto& entry : fs::directory_iterator(root_)) {
      const std::string name = entry.path().filename().string();
      if (name.front() != '.' && !files.count(name)) {
        fs::remove(entry.path());
      }
    }
  }
  void publish(const std::string& policy_yaml) { publish({{"policy.yaml", policy_yaml}}); }

  std::string path() const { return root_.string(); }

 private:
  std::filesystem::path root_;
  int versions_ = 0;
};

}  // namespace windowguard::testing
