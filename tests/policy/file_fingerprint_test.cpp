// What tells the watcher and the sidecar that mounted files changed: a new
// size or modification time, a file added, and Kubernetes' swap of the
// "..data" symlink to a new folder.
#include "policy/file_fingerprint.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace windowguard::policy {
namespace {

namespace fs = std::filesystem;

class FileFingerprint : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

  fs::path directory_ =
      fs::temp_directory_path() /
      ("windowguard-fingerprint-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
};

TEST_F(FileFingerprint, ChangesWithAFilesContentAndWithAFileAdded) {
  write(directory_ / "a.yaml", "windows: []\n");
  const std::string before = fingerprint_policy_directory(directory_.string());
  EXPECT_EQ(fingerprint_policy_directory(directory_.string()), before) << "nothing changed";
  write(directory_ / "a.yaml", "windows: [] # longer\n");
  const std::string edited = fingerprint_policy_directory(directory_.string());
  EXPECT_NE(edited, before);
  write(directory_ / "b.yml", "bindings: []\n");
  EXPECT_NE(fingerprint_policy_directory(directory_.string()), edited);
}

// A ConfigMap volume: the files are symlinks through "..data", which
// Kubernetes points at a new timestamped folder in one rename.
TEST_F(FileFingerprint, ChangesWhenTheDataSymlinkIsSwapped) {
  fs::create_directories(directory_ / "..2026_12_07_1");
  fs::create_directories(directory_ / "..2026_12_07_2");
  write(directory_ / "..2026_12_07_1" / "p.yaml", "windows: []\n");
  write(directory_ / "..2026_12_07_2" / "p.yaml", "windows: []\n");
  fs::create_directory_symlink("..2026_12_07_1", directory_ / "..data");
  fs::create_symlink("..data/p.yaml", directory_ / "p.yaml");
  const std::string before = fingerprint_policy_directory(directory_.string());
  fs::create_directory_symlink("..2026_12_07_2", directory_ / "..data_tmp");
  fs::rename(directory_ / "..data_tmp", directory_ / "..data");
  EXPECT_NE(fingerprint_policy_directory(directory_.string()), before);
}

TEST_F(FileFingerprint, SaysWhichFilesAreMissing) {
  const std::string missing = (directory_ / "tls.crt").string();
  EXPECT_EQ(fingerprint_files({missing}), missing + " missing;");
  write(missing, "certificate");
  EXPECT_NE(fingerprint_files({missing}), missing + " missing;");
}

}  // namespace
}  // namespace windowguard::policy
