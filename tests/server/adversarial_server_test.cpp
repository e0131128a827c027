// The real server under each policy of bench/adversarial/: while two clients
// send denied reviews back to back, a probe asks /healthz on its own
// connection.  No decision may hold anything up: every review is answered
// within a second and every probe within 100 ms.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/server_fixture.hpp"

namespace windowguard::testing {
namespace {

using Clock = std::chrono::steady_clock;

class AdversarialServerTest : public ServerFixture {
 protected:
  static std::vector<fs::path> policy_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(WINDOWGUARD_SOURCE_DIR) / "bench" / "adversarial")) {
      if (entry.path().extension() == ".yaml") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    return files;
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

TEST_F(AdversarialServerTest, ReviewsAndHealthProbesAreAnsweredPromptlyUnderEveryAdversarialPolicy) {
  const std::vector<fs::path> files = policy_files();
  ASSERT_GE(files.size(), 10U);
  const std::string body = review("prod", "dev");
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    policies_->publish(read(file));
    start();
    std::atomic<bool> done{false};
    std::atomic<long long> slowest_review_ms{0};
    std::atomic<int> denied{0};
    const auto send_reviews = [&] {
      TlsClient client(server_->port(), trusting());
      for (int i = 0; i < 40; ++i) {
        const auto sent = Clock::now();
        const HttpResponse response = client.request(verb::post, "/validate", body);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent).count();
        slowest_review_ms = std::max(slowest_review_ms.load(), static_cast<long long>(took));
        if (response.result_int() == 200 && response.body().find("\"allowed\":false") != std::string::npos) {
          ++denied;
        }
      }
    };
    long long slowest_probe_ms = 0;
    int probes = 0;
    std::thread first(send_reviews);
    std::thread second(send_reviews);
    std::thread finish([&] {
      first.join();
      second.join();
      done = true;
    });
    TlsClient prober(server_->port(), trusting());
    while (!done) {
      const auto sent = Clock::now();
      EXPECT_EQ(prober.request(verb::get, "/healthz").result_int(), 200);
      slowest_probe_ms = std::max(
          slowest_probe_ms,
          static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent).count()));
      ++probes;
    }
    finish.join();
    EXPECT_EQ(denied.load(), 80);
    EXPECT_LT(slowest_review_ms.load(), 1000);
    EXPECT_LT(slowest_probe_ms, 100);
    EXPECT_GT(probes, 0);
    server_.reset();
  }
}

}  // namespace
}  // namespace windowguard::testing
