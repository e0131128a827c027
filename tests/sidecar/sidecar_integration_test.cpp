// The sidecar binary with real directories swapped the way kubelet updates a
// ConfigMap volume, alone and together with the webhook.  127.0.0.1 only;
// every wait is bounded.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/build_paths.hpp"
#include "support/config_map_directory.hpp"
#include "support/fixtures.hpp"
#include "support/server_process.hpp"
#include "support/test_certificates.hpp"
#include "support/tls_client.hpp"

namespace windowguard::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One plain-HTTP GET (the sidecar's probes and metrics are not TLS).
http::response<http::string_body> plain_get(unsigned short port, const std::string& target) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1");
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response;
}

std::string frozen_policy(const std::string& environment) {
  return "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n"
         "  - name: always\n    type: blackout\n    durations:\n"
         "      - daily: {from: \"00:00\", to: \"12:00\"}\n      - daily: {from: \"12:00\", to: \"00:00\"}\n"
         "bindings:\n  - windows: [always]\n    environments: [" +
         environment + "]\n";
}

const std::string kBroken =
    "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nbindings:\n  - windows: [missing]\n    environments: [x]\n";

template <typename Condition>
bool eventually(Condition condition) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

class SidecarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("windowguard-sidecar-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "publish");
    source_ = std::make_unique<ConfigMapDirectory>(root_ / "configmap");
  }
  void TearDown() override {
    sidecar_.reset();
    webhook_.reset();
    fs::remove_all(root_);
  }

  void start_sidecar(const std::vector<std::string>& launcher = {}) {
    sidecar_ =
        std::make_unique<ServerProcess>("sidecar",
                                        std::vector<std::string>{"--source", source_->path(), "--publish",
                                                                 (root_ / "publish").string(), "--interval", "1s"},
                                        launcher);
    ASSERT_TRUE(sidecar_->running());
  }

  // The sidecar in a mount namespace of its own, where the publish directory
  // is a tmpfs mounted with `options` (needs root; the host sees nothing).
  void start_sidecar_on_tmpfs(const std::string& options) {
    start_sidecar({"unshare", "--mount", "--propagation", "private", "sh", "-c",
                   "mount -t tmpfs -o " + options + " tmpfs \"$0\" && exec \"$@\"", (root_ / "publish").string()});
  }
  // The publish directory as the sidecar sees it.
  fs::path published() const {
    return "/proc/" + std::to_string(sidecar_->pid()) + "/root" + (root_ / "publish").string();
  }
  std::string published_policy() const {
    std::ifstream in(published() / "policy.yaml");
    return {std::istreambuf_iterator<char>(in), {}};
  }
  void remount_publish_directory(const std::string& options) const {
    const std::string command = "nsenter -t " + std::to_string(sidecar_->pid()) + " -m mount -o remount," + options +
                                " " + (root_ / "publish").string();
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static bool can_make_mount_namespaces() { return std::system("unshare --mount true 2>/dev/null") == 0; }

  void start_webhook(const std::vector<std::string>& launcher = {}) {
    const std::string certs = (root_ / "certs").string();
    if (!fs::exists(root_ / "certs")) {
      ASSERT_TRUE(make_test_certificates(root_ / "certs"));
    }
    webhook_ = std::make_unique<ServerProcess>(
        "serve",
        std::vector<std::string>{"--tls-cert", certs + "/server.crt", "--tls-key", certs + "/server.key", "--policies",
                                 (root_ / "publish").string(), "--reload-interval", "1s"},
        launcher);
    ASSERT_TRUE(webhook_->running());
  }

  bool webhook_allows(const std::string& environment) {
    const ClientOptions trusting{(root_ / "certs/ca.crt").string(), "", "", 0, 0, ""};
    const std::string body = replace_all(fixture("generated/deployment-create.json"), "prod-eu-1", environment);
    return https_request(webhook_->port(), trusting, http::verb::post, "/validate", body)
               .body()
               .find("\"allowed\":true") != std::string::npos;
  }

  bool webhook_ready() {
    const ClientOptions trusting{(root_ / "certs/ca.crt").string(), "", "", 0, 0, ""};
    return https_request(webhook_->port(), trusting, http::verb::get, "/readyz").result_int() == 200;
  }

  fs::path root_;
  std::unique_ptr<ConfigMapDirectory> source_;
  std::unique_ptr<ServerProcess> sidecar_;
  std::unique_ptr<ServerProcess> webhook_;
};

TEST_F(SidecarTest, PublishesAndReportsHealthReadinessAndMetrics) {
  source_->publish(frozen_policy("frozen"));
  start_sidecar();
  EXPECT_TRUE(eventually([&] { return plain_get(sidecar_->port(), "/readyz").result_int() == 200; }));
  EXPECT_EQ(plain_get(sidecar_->port(), "/healthz").body(), "ok\n");
  EXPECT_EQ(plain_get(sidecar_->port(), "/nowhere").result_int(), 404);
  const std::string metrics = plain_get(sidecar_->port(), "/metrics").body();
  EXPECT_NE(metrics.find("windowguard_sidecar_versions_total{result=\"accepted\"} 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("windowguard_sidecar_ready 1\n"), std::string::npos);
  EXPECT_EQ(metrics.find("windowguard_sidecar_last_success_timestamp_seconds 0\n"), std::string::npos);
  EXPECT_TRUE(sidecar_->wait_for_log("\"msg\":\"policy version published\"", 1s));
  EXPECT_TRUE(fs::is_symlink(root_ / "publish/..data"));

  source_->publish(kBroken);
  EXPECT_TRUE(sidecar_->wait_for_log("policy version rejected; the published version stays", 10s));
  EXPECT_TRUE(
      sidecar_->wait_for_log("configmap/policy.yaml:4:15: binding refers to unknown window \\\"missing\\\"", 1s));
  EXPECT_NE(plain_get(sidecar_->port(), "/metrics")
                .body()
                .find("windowguard_sidecar_versions_total{result=\"rejected\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(plain_get(sidecar_->port(), "/readyz").result_int(), 200);  // the published version still stands
  // The source changed after the last success: what an alert compares.
  const std::string after = plain_get(sidecar_->port(), "/metrics").body();
  const auto value_of = [&after](const std::string& name) {
    const std::size_t at = after.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(after.substr(at + name.size() + 2));
  };
  EXPECT_GT(value_of("windowguard_sidecar_last_success_timestamp_seconds"), 0) << after;
  EXPECT_GE(value_of("windowguard_sidecar_source_changed_timestamp_seconds"),
            value_of("windowguard_sidecar_last_success_timestamp_seconds"))
      << after;
  sidecar_->signal(SIGTERM);
  EXPECT_EQ(sidecar_->wait_for_exit(5s), 0);
}

TEST_F(SidecarTest, NotReadyUntilSomeValidVersionIsPublished) {
  source_->publish(kBroken);
  start_sidecar();
  EXPECT_TRUE(sidecar_->wait_for_log("policy version rejected", 10s));
  EXPECT_EQ(plain_get(sidecar_->port(), "/readyz").result_int(), 503);
  EXPECT_FALSE(fs::exists(root_ / "publish/..data"));
  source_->publish(frozen_policy("frozen"));
  EXPECT_TRUE(eventually([&] { return plain_get(sidecar_->port(), "/readyz").result_int() == 200; }));
}

TEST_F(SidecarTest, TheWebhookServesOnlyValidatedVersionsAndRestartsFromTheLastGoodOne) {
  source_->publish(frozen_policy("frozen"));
  start_sidecar();
  start_webhook();
  ASSERT_TRUE(eventually([&] { return webhook_ready(); }));
  EXPECT_FALSE(webhook_allows("frozen"));

  source_->publish(kBroken);  // a broken ConfigMap edit
  EXPECT_TRUE(sidecar_->wait_for_log("policy version rejected", 10s));
  EXPECT_FALSE(webhook_allows("frozen"));
  EXPECT_EQ(webhook_->count_log("policy rejected"), 0U);  // the webhook never saw it

  // The webhook container restarts while the ConfigMap is still broken.
  webhook_.reset();
  start_webhook();
  ASSERT_TRUE(eventually([&] { return webhook_ready(); }));
  EXPECT_FALSE(webhook_allows("frozen"));

  source_->publish(frozen_policy("elsewhere"));  // fixed, and frozen is no longer bound
  EXPECT_TRUE(eventually([&] { return webhook_allows("frozen"); }));
}

TEST_F(SidecarTest, AReadOnlyPublishDirectoryKeepsThePublishedVersion) {
  if (!can_make_mount_namespaces()) {
    GTEST_SKIP() << "needs a private mount namespace (run as root)";
  }
  source_->publish(frozen_policy("frozen"));
  start_sidecar_on_tmpfs("size=1m");
  ASSERT_TRUE(eventually([&] { return plain_get(sidecar_->port(), "/readyz").result_int() == 200; }));
  start_webhook({"nsenter", "-t", std::to_string(sidecar_->pid()), "-m", "--"});  // sees the tmpfs
  ASSERT_TRUE(eventually([&] { return webhook_ready(); }));
  EXPECT_FALSE(webhook_allows("frozen"));

  remount_publish_directory("ro");
  source_->publish(frozen_policy("elsewhere"));
  EXPECT_TRUE(sidecar_->wait_for_log("publishing failed; the published version stays", 10s));
  EXPECT_TRUE(sidecar_->wait_for_log("Read-only file system", 1s));
  EXPECT_EQ(plain_get(sidecar_->port(), "/readyz").result_int(), 200);
  EXPECT_NE(published_policy().find("[frozen]"), std::string::npos);
  EXPECT_FALSE(webhook_allows("frozen"));

  remount_publish_directory("rw");
  EXPECT_TRUE(eventually([&] { return webhook_allows("frozen"); }));
}

TEST_F(SidecarTest, AFullPublishDirectoryKeepsThePublishedVersionAndLeavesNoDebris) {
  if (!can_make_mount_namespaces()) {
    GTEST_SKIP() << "needs a private mount namespace (run as root)";
  }
  source_->publish(frozen_policy("frozen"));
  start_sidecar_on_tmpfs("size=32k");  // eight pages
  ASSERT_TRUE(eventually([&] { return plain_get(sidecar_->port(), "/readyz").result_int() == 200; }));
  const auto entries = [&] {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(published())) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  const std::vector<std::string> before = entries();

  // A valid version too large for what is left: the copy fails half-way.
  source_->publish(frozen_policy("elsewhere") + "# " + std::string(64 * 1024, 'x') + "\n");
  EXPECT_TRUE(sidecar_->wait_for_log("publishing failed; the published version stays", 10s));
  EXPECT_TRUE(sidecar_->wait_for_log("cannot copy file", 1s));
  EXPECT_EQ(plain_get(sidecar_->port(), "/readyz").result_int(), 200);
  EXPECT_NE(published_policy().find("[frozen]"), std::string::npos);
  EXPECT_EQ(entries(), before);  // the half-copied staging folder is gone

  source_->publish(frozen_policy("elsewhere"));
  EXPECT_TRUE(eventually([&] { return published_policy().find("[elsewhere]") != std::string::npos; }));
}

}  // namespace
}  // namespace windowguard::testing
