#pragma once
// The one control plane the cluster tests share (start-up is the expensive
// part), with windowguard serving tests/cluster/policies on 127.0.0.1 and
// registered by URL, as `windowguard webhook-config --url` renders it.  When
// the binaries are missing every cluster test is skipped with the reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "support/control_plane.hpp"
#include "support/server_process.hpp"

namespace windowguard::testing {

// The user windowguard reads the cluster as (a client certificate).
inline constexpr const char* kWebhookUser = "windowguard-webhook";

class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override;
  void TearDown() override;

  static ClusterEnvironment& shared();

  // Empty when the cluster runs; otherwise why it does not.
  const std::string& skip_reason() const { return skip_reason_; }
  // Empty when the cluster started; otherwise why not (each test fails with it).
  const std::string& start_failure() const { return start_failure_; }
  ControlPlane& cluster() { return *cluster_; }
  ServerProcess& webhook() { return *webhook_; }

  // Starts windowguard (again) and points the registration at it; waits
  // (bounded) until the API server calls it.
  void start_webhook();
  // Stops windowguard and leaves the registration in place: an outage.
  void stop_webhook();

 private:
  std::filesystem::path policies() const;
  void install_windowguard_objects();
  void install_configured_workload_kinds();
  void register_webhook();

  std::string skip_reason_;
  std::string start_failure_;
  std::unique_ptr<ControlPlane> cluster_;
  std::unique_ptr<ServerProcess> webhook_;
};

// Test suites that run against the shared cluster.
class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ClusterEnvironment::shared().skip_reason().empty()) {
      GTEST_SKIP() << ClusterEnvironment::shared().skip_reason();
    }
    if (!ClusterEnvironment::shared().start_failure().empty()) {
      FAIL() << ClusterEnvironment::shared().start_failure();
    }
  }
  static ControlPlane& cluster() { return ClusterEnvironment::shared().cluster(); }
  static ServerProcess& webhook() { return ClusterEnvironment::shared().webhook(); }
};

}  // namespace windowguard::testing
