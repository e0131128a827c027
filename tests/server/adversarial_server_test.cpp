// The real server under each policy of bench/adversarial/: while two clients
// send denied reviews back to back, a probe asks /healthz on its own
// connection.  No decision may hold anything up: every review is answered
// within a second and every probe within 100 ms.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "adversarial_policies.hpp"
#include "support/build_paths.hpp"
#include "support/server_fixture.hpp"

namespace windowguard::testing {
namespace {

using Clock = std::chrono::steady_clock;

class AdversarialServerTest : public ServerFixture {};

TEST_F(AdversarialServerTest, ReviewsAndHealthProbesAreAnsweredPromptlyUnderEveryAdversarialPolicy) {
  const std::vector<fs::path> files = bench::adversarial_policy_files(build_paths::source_dir);
  ASSERT_GE(files.size(), 10U);
  const std::string body = review("prod", "dev");
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    policies_->publish(bench::file_text(file));
    start();
    // Each sender records its own slowest review and denials.
    struct Sent {
      std::chrono::milliseconds slowest{0};
      int denied = 0;
    };
    const auto send_reviews = [&](Sent& sent) {
      TlsClient client(server_->port(), trusting());
      for (int i = 0; i < 40; ++i) {
        const auto at = Clock::now();
        const HttpResponse response = client.request(verb::post, "/validate", body);
        sent.slowest = std::max(sent.slowest, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - at));
        if (response.result_int() == 200 && response.body().find("\"allowed\":false") != std::string::npos) {
          ++sent.denied;
        }
      }
    };
    // The prober connects before the senders start and asks at least once,
    // so a round whose reviews are all answered from the decision memo
    // still probes while they are sent.
    TlsClient prober(server_->port(), trusting());
    Sent by_first;
    Sent by_second;
    std::atomic<bool> done{false};
    std::thread senders([&] {
      std::thread first(send_reviews, std::ref(by_first));
      send_reviews(by_second);
      first.join();
      done = true;
    });
    std::chrono::milliseconds slowest_probe{0};
    do {
      const auto at = Clock::now();
      EXPECT_EQ(prober.request(verb::get, "/healthz").result_int(), 200);
      slowest_probe = std::max(slowest_probe, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - at));
    } while (!done);
    senders.join();
    EXPECT_EQ(by_first.denied + by_second.denied, 80);
    EXPECT_LT(std::max(by_first.slowest, by_second.slowest).count(), 1000);
    EXPECT_LT(slowest_probe.count(), 100);
    server_.reset();
  }
}

}  // namespace
}  // namespace windowguard::testing
