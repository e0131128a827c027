#include "sidecar/publisher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "policy/policy_directory.hpp"
#include "support/config_map_directory.hpp"

namespace windowguard::sidecar {
namespace {

namespace fs = std::filesystem;
using testing::ConfigMapDirectory;

std::string policy_with_window(const std::string& name) {
  return "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: " + name +
         "\n    type: blackout\n    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n"
         "bindings:\n  - windows: [" +
         name + "]\n    environments: [prod]\n";
}

const std::string kBroken =
    "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: x\n    type: never\n"
    "    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n";

std::vector<std::string> window_names(const fs::path& directory) {
  const auto loaded = policy::load_policy_directory(directory);
  std::vector<std::string> names;
  if (loaded) {
    for (const core::Window& window : loaded->policy->windows()) {
      names.push_back(window.name);
    }
  }
  return names;
}

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("windowguard-publisher-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    source_ = std::make_unique<ConfigMapDirectory>(root_ / "source");
    fs::create_directories(root_ / "publish");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path publish() const { return root_ / "publish"; }

  fs::path root_;
  std::unique_ptr<ConfigMapDirectory> source_;
};

TEST_F(PublisherTest, PublishesAValidVersionLaidOutLikeAConfigMapVolume) {
  source_->publish(
      {{"a.yaml", policy_with_window("first")}, {"b.yml", "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n"}});
  Publisher publisher(source_->path(), publish());
  EXPECT_FALSE(publisher.has_published_version());
  const PublishOutcome outcome = publisher.publish_if_valid();
  ASSERT_EQ(outcome.result, PublishOutcome::Result::Published);
  EXPECT_TRUE(publisher.has_published_version());
  EXPECT_TRUE(fs::is_symlink(publish() / "..data"));
  EXPECT_EQ(fs::read_symlink(publish() / "..data"), outcome.version);
  EXPECT_EQ(fs::read_symlink(publish() / "a.yaml"), fs::path("..data/a.yaml"));
  EXPECT_EQ(fs::read_symlink(publish() / "b.yml"), fs::path("..data/b.yml"));
  EXPECT_EQ(window_names(publish()), std::vector<std::string>{"first"});
}

// A window's calendar is published with the YAML that names it, and a
// broken calendar is a broken version.
TEST_F(PublisherTest, PublishesTheCalendarsAWindowNamesAndRejectsABrokenOne) {
  const std::string yaml =
      "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: holidays\n    type: blackout\n"
      "    durations:\n      - calendar: {file: holidays.ics}\n";
  const std::string calendar =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nSUMMARY:Christmas "
      "Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  source_->publish({{"a.yaml", yaml}, {"holidays.ics", calendar}});
  Publisher publisher(source_->path(), publish());
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  EXPECT_EQ(fs::read_symlink(publish() / "holidays.ics"), fs::path("..data/holidays.ics"));
  EXPECT_EQ(window_names(publish()), std::vector<std::string>{"holidays"});

  source_->publish({{"a.yaml", yaml}, {"holidays.ics", calendar.substr(0, calendar.find("END:VEVENT"))}});
  const PublishOutcome broken = publisher.publish_if_valid();
  ASSERT_EQ(broken.result, PublishOutcome::Result::Rejected);
  EXPECT_NE(broken.errors.front().to_string().find("holidays.ics:3:1: BEGIN:VEVENT is never closed"), std::string::npos)
      << broken.errors.front().to_string();
}

TEST_F(PublisherTest, ABrokenVersionIsRejectedWithSourceLocationsAndChangesNothing) {
  source_->publish(policy_with_window("first"));
  Publisher publisher(source_->path(), publish());
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  const fs::path published = fs::read_symlink(publish() / "..data");

  source_->publish(kBroken);
  const PublishOutcome outcome = publisher.publish_if_valid();
  ASSERT_EQ(outcome.result, PublishOutcome::Result::Rejected);
  ASSERT_EQ(outcome.errors.size(), 1U);
  EXPECT_EQ(outcome.errors[0].to_string(),
            (root_ / "source" / "policy.yaml").string() +
                ":5:11: window \"x\" type \"never\" is unknown; expected blackout or maintenance");
  EXPECT_EQ(fs::read_symlink(publish() / "..data"), published);
  EXPECT_EQ(window_names(publish()), std::vector<std::string>{"first"});
  // No staging leftovers.
  for (const auto& entry : fs::directory_iterator(publish())) {
    EXPECT_EQ(entry.path().filename().string().rfind(".staging", 0), std::string::npos) << entry.path();
  }
}

TEST_F(PublisherTest, ANewValidVersionReplacesTheOldAndRemovedFilesDisappear) {
  source_->publish({{"a.yaml", policy_with_window("first")},
                    {"extra.yaml", "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n"}});
  Publisher publisher(source_->path(), publish());
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  source_->publish({{"a.yaml", policy_with_window("second")}});
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  EXPECT_EQ(window_names(publish()), std::vector<std::string>{"second"});
  EXPECT_FALSE(fs::exists(publish() / "extra.yaml"));
  EXPECT_FALSE(fs::is_symlink(publish() / "extra.yaml"));
  source_->publish({{"a.yaml", policy_with_window("third")}});
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  // The current version and the one before it are kept; older ones are removed.
  int versions = 0;
  for (const auto& entry : fs::directory_iterator(publish())) {
    versions += entry.path().filename().string().rfind("..v", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(versions, 2);
}

TEST_F(PublisherTest, TheSameContentsAreNotRepublished) {
  source_->publish(policy_with_window("first"));
  Publisher publisher(source_->path(), publish());
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  source_->publish(policy_with_window("first"));  // a new ConfigMap version with the same data
  EXPECT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Unchanged);
}

TEST_F(PublisherTest, AnEarlierPublishedVersionSurvivesARestartWithABrokenSource) {
  source_->publish(policy_with_window("first"));
  ASSERT_EQ(Publisher(source_->path(), publish()).publish_if_valid().result, PublishOutcome::Result::Published);
  source_->publish(kBroken);
  Publisher restarted(source_->path(), publish());  // the sidecar container restarted; the emptyDir did not
  EXPECT_TRUE(restarted.has_published_version());
  EXPECT_EQ(restarted.publish_if_valid().result, PublishOutcome::Result::Rejected);
  EXPECT_EQ(window_names(publish()), std::vector<std::string>{"first"});
}

TEST_F(PublisherTest, AFailedSwapLeavesThePublishedVersionInPlace) {
  source_->publish(policy_with_window("first"));
  Publisher publisher(source_->path(), publish());
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  const fs::path published = fs::read_symlink(publish() / "..data");
  // Something in the way of the new link (a directory where the temporary link goes).
  fs::create_directories(publish() / "..data.tmp" / "in-the-way");
  source_->publish(policy_with_window("second"));
  const PublishOutcome outcome = publisher.publish_if_valid();
  EXPECT_EQ(outcome.result, PublishOutcome::Result::Failed);
  EXPECT_FALSE(outcome.failure.empty());
  EXPECT_EQ(fs::read_symlink(publish() / "..data"), published);
  EXPECT_EQ(window_names(publish()), std::vector<std::string>{"first"});
  fs::remove_all(publish() / "..data.tmp");
  EXPECT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  EXPECT_EQ(window_names(publish()), std::vector<std::string>{"second"});
}

TEST_F(PublisherTest, APublishPathThatIsAFileFailsAndChangesNothing) {
  source_->publish(policy_with_window("first"));
  std::ofstream(root_ / "not-a-directory") << "x";
  const PublishOutcome outcome = Publisher(source_->path(), root_ / "not-a-directory").publish_if_valid();
  EXPECT_EQ(outcome.result, PublishOutcome::Result::Failed);
  EXPECT_NE(outcome.failure.find("not-a-directory"), std::string::npos) << outcome.failure;
}

TEST_F(PublisherTest, ReadersNeverSeeAHalfWrittenVersion) {
  source_->publish({{"a.yaml", policy_with_window("v0")}, {"b.yaml", policy_with_window("w0")}});
  Publisher publisher(source_->path(), publish());
  ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  std::atomic<bool> done{false};
  std::atomic<int> whole_reads{0};
  std::atomic<int> mixed_reads{0};
  std::thread reader([&] {
    for (int attempt = 0; attempt < 100000 && !done; ++attempt) {
      const std::vector<std::string> names = window_names(publish());
      // A reader two versions behind may find its folder already removed (a
      // failed load: the webhook keeps its policy and retries); what must
      // never happen is a load that mixes files of two versions.
      if (names.size() == 2) {
        ++whole_reads;
        mixed_reads += names[0].substr(1) != names[1].substr(1) ? 1 : 0;
      }
    }
  });
  for (int version = 1; version <= 50; ++version) {
    source_->publish({{"a.yaml", policy_with_window("v" + std::to_string(version))},
                      {"b.yaml", policy_with_window("w" + std::to_string(version))}});
    ASSERT_EQ(publisher.publish_if_valid().result, PublishOutcome::Result::Published);
  }
  done = true;
  reader.join();
  EXPECT_GT(whole_reads.load(), 0);
  EXPECT_EQ(mixed_reads.load(), 0);
  EXPECT_EQ(window_names(publish()), (std::vector<std::string>{"v50", "w50"}));
}

}  // namespace
}  // namespace windowguard::sidecar
