#pragma once
// What the cluster client's unit tests share: the logger and the test PKI,
// set up once per suite, and waiting on a condition with a bound so that nothing hangs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "logging/log.hpp"
#include "support/fixtures.hpp"
#include "support/test_certificates.hpp"

namespace windowguard::testing {

class FakeApiFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // As `serve` does before any thread starts: the clients log from theirs.
    logging::start_logging("warn");
    certificates_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                              ("windowguard-fake-api-" + std::to_string(getpid())));
    std::filesystem::remove_all(*certificates_);
    ASSERT_TRUE(make_test_certificates(*certificates_));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*certificates_);
    delete certificates_;
    logging::stop_logging();
  }

  static const std::filesystem::path& certificates() { return *certificates_; }
  static std::string pem(const std::string& name) { return read_text((*certificates_ / name).string()); }

 private:
  static inline std::filesystem::path* certificates_ = nullptr;
};

// Polls `condition` until it holds or 10 s have passed; whether it held.
inline bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace windowguard::testing
