// Tests of webhook/policy/policy_directory.cpp.
// The policy directory as a ConfigMap volume mounts it, and the example
// policies of the repository.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "policy/policy_directory.hpp"
#include "policy_test_support.hpp"
#include "support/build_paths.hpp"

namespace windowguard::policy {
namespace {

class PolicyDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("windowguard-loader-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(directory_ / name) << text; }

  std::filesystem::path directory_;
};

TEST_F(PolicyDirectory, MergesYamlAndYmlFilesAndSkipsHiddenAndOtherFiles) {
  write("a.yaml", std::string(kHeader) +
                      "windows:\n  - name: w\n    type: blackout\n    durations:\n"
                      "      - daily: {from: \"01:00\", to: \"02:00\"}\n");
  write("b.yml", std::string(kHeader) + "bindings:\n  - windows: [w]\n    environments: [prod]\n");
  write("README.md", "not a policy");
  write(".hidden.yaml", "this: [is not valid");
  std::filesystem::create_directories(directory_ / "..2024_06_01_00_00_00.1");
  write("..2024_06_01_00_00_00.1/a.yaml", "not: [valid");
  const LoadResult result = load_policy_directory(directory_);
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  EXPECT_EQ(result->policy->windows().size(), 1U);
  EXPECT_EQ(result->policy->bindings().size(), 1U);
}

TEST_F(PolicyDirectory, FollowsConfigMapSymlinks) {
  std::filesystem::create_directories(directory_ / "..2024_06_01_00_00_00.1");
  write("..2024_06_01_00_00_00.1/p.yaml", std::string(kHeader) +
                                              "windows:\n  - name: w\n    type: blackout\n"
                                              "    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n");
  std::filesystem::create_directory_symlink("..2024_06_01_00_00_00.1", directory_ / "..data");
  std::filesystem::create_symlink("..data/p.yaml", directory_ / "p.yaml");
  const LoadResult result = load_policy_directory(directory_);
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  EXPECT_EQ(result->policy->windows()[0].name, "w");
}

TEST_F(PolicyDirectory, ErrorsNameTheFileInsideTheDirectory) {
  write("p.yaml", std::string(kHeader) + "kindd: x\n");
  const LoadResult result = load_policy_directory(directory_);
  ASSERT_EQ(errors_of(result).size(), 1U);
  EXPECT_EQ(result.error()[0].where.file, (directory_ / "p.yaml").string());
  EXPECT_EQ(result.error()[0].where.line, 3);
  EXPECT_EQ(result.error()[0].where.column, 1);
}

TEST_F(PolicyDirectory, AnEmptyDirectoryIsAnError) {
  const LoadResult result = load_policy_directory(directory_);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(errors_of(result),
            std::vector<std::string>{directory_.string() + ": holds no policy files (*.yaml or *.yml)"});
}

TEST_F(PolicyDirectory, AMissingDirectoryIsAnError) {
  const LoadResult result = load_policy_directory(directory_ / "absent");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(errors_of(result), std::vector<std::string>{(directory_ / "absent").string() +
                                                        ": is not a readable directory of policy files"});
}

TEST(ExamplePolicies, AllPassLintAndCoverEveryDurationKindAndBothTypes) {
  const LoadResult result = load_policy_directory(std::filesystem::path(build_paths::source_dir) / "policies");
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  std::set<std::size_t> kinds;
  std::set<core::WindowType> types;
  for (const core::Window& window : result->policy->windows()) {
    types.insert(window.type);
    for (const core::Recurrence& recurrence : window.schedule.recurrences()) {
      kinds.insert(recurrence.index());
    }
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<core::Recurrence>);
  EXPECT_EQ(types.size(), 2U);
}

}  // namespace
}  // namespace windowguard::policy
