#pragma once
// The fixture of the server's integration and fault tests: certificates made
// once per suite, a policy directory laid out like a ConfigMap volume, the
// serving pair mounted like a Secret, and the real `windowguard serve`.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "support/build_paths.hpp"
#include "support/config_map_directory.hpp"
#include "support/fixtures.hpp"
#include "support/server_process.hpp"
#include "support/test_certificates.hpp"
#include "support/tls_client.hpp"

namespace windowguard::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using http::verb;

inline fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("windowguard-it-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// "YYYY-MM-DD HH:MM" in UTC, `ahead` from now, rounded up to the minute.
inline std::string utc_minute(std::chrono::minutes ahead) {
  const auto at = std::chrono::ceil<std::chrono::minutes>(std::chrono::system_clock::now()) + ahead;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &parts);
  return text;
}

inline std::string policy_text(const std::string& frozen_environment) {
  return "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n"
         "  - name: always-frozen\n    type: blackout\n    durations:\n"
         "      - daily: {from: \"00:00\", to: \"12:00\"}\n      - daily: {from: \"12:00\", to: \"00:00\"}\n"
         "    exempt: {users: [oncall@example.com]}\n    message: Frozen for the test.\n"
         "  - name: soon\n    type: blackout\n    durations:\n"
         "      - once: {from: \"" +
         utc_minute(10min) + "\", to: \"" + utc_minute(70min) +
         "\"}\n"
         "bindings:\n  - windows: [always-frozen]\n    environments: [" +
         frozen_environment + "]\n  - windows: [soon]\n    environments: [soon]\n";
}

class ServerFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new fs::path(temp_dir("certs"));
    ASSERT_TRUE(make_test_certificates(*certs_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*certs_);
    delete certs_;
  }

  void SetUp() override {
    work_ = temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    policies_ = std::make_unique<ConfigMapDirectory>(work_ / "policies");
    policies_->publish(policy_text("frozen"));
    // The serving pair is mounted like a Secret, so it can be rotated.
    fs::create_directories(work_ / "tls");
    install_tls("server");
  }
  void TearDown() override {
    if (HasFailure() && server_) {  // the server's side of the story (sanitizer reports included)
      const std::vector<std::string> lines = server_->log();
      for (std::size_t i = lines.size() > 200 ? lines.size() - 200 : 0; i < lines.size(); ++i) {
        std::cerr << "server: " << lines[i] << "\n";
      }
    }
    server_.reset();
    fs::remove_all(work_);
  }

  void install_tls(const std::string& name, const std::string& key_name = "") {
    for (const char* part : {"crt", "key"}) {
      const std::string source =
          (*certs_ / ((std::string(part) == "key" && !key_name.empty() ? key_name : name) + "." + part)).string();
      const fs::path target = work_ / "tls" / (std::string("tls.") + part);
      fs::copy_file(source, target.string() + ".new", fs::copy_options::overwrite_existing);
      fs::rename(target.string() + ".new", target);
    }
  }

  void start(std::vector<std::string> extra = {}, const std::vector<std::string>& launcher = {}) {
    std::vector<std::string> arguments{"--tls-cert",        (work_ / "tls/tls.crt").string(),
                                       "--tls-key",         (work_ / "tls/tls.key").string(),
                                       "--policies",        policies_->path(),
                                       "--reload-interval", "1s",
                                       "--threads",         "2"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>("serve", arguments, launcher);
    ASSERT_TRUE(server_->running()) << (server_->log().empty() ? "no output" : server_->log().back());
  }

  ClientOptions trusting() const { return {(*certs_ / "ca.crt").string(), "", "", 0, 0, ""}; }

  HttpResponse get(const std::string& target) { return https_request(server_->port(), trusting(), verb::get, target); }
  HttpResponse validate(const std::string& body) {
    return https_request(server_->port(), trusting(), verb::post, "/validate?timeout=5s", body);
  }

  static std::string review(const std::string& namespace_name, const std::string& user = "alice@example.com") {
    std::string body = replace_all(fixture("generated/deployment-create.json"), "prod-eu-1", namespace_name);
    return replace_all(body, "\"alice@example.com\"", "\"" + user + "\"");
  }

  static rapidjson::Document json(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    EXPECT_FALSE(document.HasParseError()) << text;
    return document;
  }

  static inline fs::path* certs_ = nullptr;
  fs::path work_;
  std::unique_ptr<ConfigMapDirectory> policies_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace windowguard::testing
