// What the session records of each outcome the router hands back: the
// response counts, and a decided review's admission metrics and latency.
#include "server/observation.hpp"

#include <gtest/gtest.h>

#include "policy/policy_directory.hpp"
#include "server/router.hpp"
#include "support/build_paths.hpp"
#include "support/fixtures.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::server {
namespace {

const core::Policy& test_policy() {
  static const auto loaded =
      policy::load_policy_directory(std::string(build_paths::source_dir) + "/tests/admission/policies");
  return *loaded.value().policy;
}

bool has_sample(const std::string& exposition, const std::string& sample) {
  return exposition.find(sample + "\n") != std::string::npos;
}

TEST(Observation, AnAnswerIsCountedByItsEndpointAndStatus) {
  Metrics metrics;
  Request request(http::verb::get, "/windows?application=api", 11);
  core::DecisionMemo memo;
  const HandlerContext context{&test_policy(), "", testing::utc("2024-05-04T12:00:00Z"), memo};
  const Handled handled = handle_request(request, context);
  ASSERT_TRUE(std::holds_alternative<Answer>(handled));
  observe(metrics, std::get<Answer>(handled));
  observe(metrics, std::get<Answer>(handled));
  const std::string exposition = metrics.render(nullptr, context.now);
  EXPECT_TRUE(has_sample(exposition, R"(windowguard_http_responses_total{path="/windows",code="400"} 2)"))
      << exposition;
}

TEST(Observation, ADecidedReviewIsCountedByActionAndDecisionWithItsLatency) {
  Metrics metrics;
  Request request(http::verb::post, "/validate", 11);
  request.set(http::field::content_type, "application/json");
  request.body() = testing::fixture("generated/deployment-create.json");
  core::DecisionMemo memo;
  const HandlerContext context{&test_policy(), "", testing::utc("2024-05-04T12:00:00Z"), memo};
  const Handled handled = handle_request(request, context);
  ASSERT_TRUE(std::holds_alternative<DecidedReview>(handled));
  observe(metrics, std::get<DecidedReview>(handled), test_policy(), std::chrono::microseconds(300));
  const std::string exposition = metrics.render(nullptr, context.now);
  EXPECT_TRUE(has_sample(
      exposition, R"(windowguard_admission_requests_total{action="deploy",decision="denied",dry_run="false"} 1)"))
      << exposition;
  EXPECT_TRUE(has_sample(exposition, R"(windowguard_admission_duration_seconds_bucket{le="0.00025"} 0)"));
  EXPECT_TRUE(has_sample(exposition, R"(windowguard_admission_duration_seconds_bucket{le="0.0005"} 1)"));
  EXPECT_TRUE(has_sample(exposition, R"(windowguard_http_responses_total{path="/validate",code="200"} 1)"));
  EXPECT_TRUE(has_sample(exposition, R"(windowguard_evicted_pod_reads_total{result="read"} 0)"))
      << "no Pod was read for a Deployment";
}

}  // namespace
}  // namespace windowguard::server
