// Reloading without a server around it: the Watcher on a policy directory
// that changes under it, as a ConfigMap volume does.
#include "server/watcher.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace windowguard::server {
namespace {

constexpr const char* kHeader = "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n";

std::string policy_with_windows(int count) {
  std::string text = std::string(kHeader) + "windows:\n";
  for (int i = 0; i < count; ++i) {
    text += "  - {name: w" + std::to_string(i) +
            ", type: blackout, durations: [{daily: {from: \"01:00\", to: " + "\"02:00\"}}]}\n";
  }
  return text;
}

class PolicyReload : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("windowguard-reload-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    config_.policies = directory_.string();
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  void write(const std::string& text) { std::ofstream(directory_ / "p.yaml") << text; }

  // A watcher that has loaded `text` as the server does at start.
  void start_with(const std::string& text) {
    write(text);
    shared_ = std::make_unique<SharedState>(config_);
    watcher_ = std::make_unique<Watcher>(*shared_);
    watcher_->load_policy_at_start();
  }

  std::string metric(const SharedState& shared, const std::string& sample) const {
    const std::string text = shared.metrics.render(shared.policy.current().get(), core::Instant{});
    const auto at = text.find(sample + " ");
    return at == std::string::npos ? "absent"
                                   : text.substr(at + sample.size() + 1, text.find('\n', at) - at - sample.size() - 1);
  }

  std::filesystem::path directory_;
  ServerConfig config_;
  std::unique_ptr<SharedState> shared_;
  std::unique_ptr<Watcher> watcher_;
};

TEST_F(PolicyReload, AChangedPolicyIsPublishedAndABrokenOneLeavesTheLastGoodInForce) {
  start_with(policy_with_windows(1));
  SharedState& shared = *shared_;
  Watcher& watcher = *watcher_;
  const std::shared_ptr<const core::Policy> first = shared.policy.current();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->windows().size(), 1U);
  EXPECT_EQ(*shared.not_ready_reason.current(), "");

  write(policy_with_windows(1) + "  - {name: broken, type: closed}\n");
  watcher.poll();
  EXPECT_EQ(shared.policy.current(), first);
  EXPECT_EQ(*shared.not_ready_reason.current(), "") << "a policy was in force: still ready";
  EXPECT_EQ(metric(shared, "windowguard_policy_reloads_total{result=\"failure\"}"), "1");

  watcher.poll();  // nothing changed since: not read again
  EXPECT_EQ(metric(shared, "windowguard_policy_reloads_total{result=\"failure\"}"), "1");

  write(policy_with_windows(3));
  watcher.poll();
  ASSERT_NE(shared.policy.current(), first);
  EXPECT_EQ(shared.policy.current()->windows().size(), 3U);
  EXPECT_EQ(metric(shared, "windowguard_policy_reloads_total{result=\"success\"}"), "2");
}

TEST_F(PolicyReload, WithoutAGoodPolicyTheServerIsNotReadyAndSaysWhere) {
  start_with(std::string("apiVersion: windowguard.dev/v1\nkind: Policy\n"));
  SharedState& shared = *shared_;
  Watcher& watcher = *watcher_;
  EXPECT_EQ(shared.policy.current(), nullptr);
  EXPECT_EQ(*shared.not_ready_reason.current(), "no valid policy in " + directory_.string() + ": " +
                                                    (directory_ / "p.yaml").string() +
                                                    ":2:7: kind must be \"WindowPolicy\"");
  write(policy_with_windows(2));
  watcher.poll();
  ASSERT_NE(shared.policy.current(), nullptr);
  EXPECT_EQ(*shared.not_ready_reason.current(), "");
}

TEST_F(PolicyReload, ADirectoryThatVanishesKeepsThePolicyAndItsReturnIsLoaded) {
  start_with(policy_with_windows(1));
  SharedState& shared = *shared_;
  Watcher& watcher = *watcher_;
  const std::shared_ptr<const core::Policy> first = shared.policy.current();
  std::filesystem::remove_all(directory_);
  watcher.poll();
  EXPECT_EQ(shared.policy.current(), first);
  std::filesystem::create_directories(directory_);
  write(policy_with_windows(2));
  watcher.poll();
  ASSERT_NE(shared.policy.current(), nullptr);
  EXPECT_EQ(shared.policy.current()->windows().size(), 2U);
}

}  // namespace
}  // namespace windowguard::server
