#include "admission/admission_decision.hpp"
#include "support/build_paths.hpp"

#include <gtest/gtest.h>

#include "admission/explanation.hpp"
#include "core/schedule/time_text.hpp"
#include "policy/policy_directory.hpp"
#include "support/fixtures.hpp"
#include "support/policy_builder.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::admission {
namespace {

using testing::fixture;
using testing::replace_all;
using testing::utc;

const core::Policy& test_policy() {
  static const auto loaded =
      policy::load_policy_directory(std::string(build_paths::source_dir) + "/tests/admission/policies");
  if (!loaded) {
    throw std::runtime_error(loaded.error().front().to_string());
  }
  return *loaded->policy;
}

// 2024-05-04 is a Saturday: Berlin's weekend freeze runs from Fri 22:00Z to Mon 04:00Z.
constexpr const char* kSaturday = "2024-05-04T12:00:00Z";
constexpr const char* kWednesday = "2024-05-08T12:00:00Z";

struct Requester {
  std::optional<std::string> user;
  std::optional<std::vector<std::string_view>> groups;
};

AdmissionDecision decide_review(std::string body, const char* at, const Requester& requester = {}) {
  auto decoded = decode_review(std::move(body));
  if (!decoded) {
    ADD_FAILURE() << decoded.error().message;
    return {};
  }
  AdmissionRequest request = decoded.value().request();
  if (requester.user) {
    request.username = *requester.user;
  }
  if (requester.groups) {
    request.groups.assign(requester.groups->begin(), requester.groups->end());
  }
  return evaluate_request(test_policy(), request, utc(at));
}

std::string action_of(const AdmissionDecision& decision) {
  return decision.action ? std::string(core::action_name(*decision.action)) : "not governed";
}

struct FixtureCase {
  const char* name;
  const char* file;  // under tests/fixtures/
  const char* at;
  const char* action;  // "not governed" when not governed
  bool allowed;
  std::vector<std::string> message_parts;
};

void PrintTo(const FixtureCase& row, std::ostream* out) { *out << row.name; }

class FixtureDecision : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(FixtureDecision, ClassifiesDecidesAndExplains) {
  const FixtureCase& row = GetParam();
  const AdmissionDecision decision = decide_review(fixture(row.file), row.at);
  EXPECT_EQ(action_of(decision), row.action);
  EXPECT_EQ(decision.allowed, row.allowed) << decision.message;
  for (const std::string& part : row.message_parts) {
    EXPECT_NE(decision.message.find(part), std::string::npos) << "missing \"" << part << "\" in: " << decision.message;
  }
}

const std::string kFreezeDenial =
    "is blocked by blackout window \"weekend-freeze\", active Sat 2024-05-04 00:00 CEST until Mon 2024-05-06 06:00 "
    "CEST (Europe/Berlin). Allowed again at Mon 2024-05-06 06:00 CEST (Mon 2024-05-06 04:00 UTC). No changes at the "
    "weekend. Exempt: members of platform-admins; user oncall@example.com; group sre-oncall.";

const FixtureCase kFixtureCases[] = {
    // Captured from a real API server (namespace team-a, user admin in system:masters or dev).
    {"real CREATE",
     "apiserver-1.24/001-CREATE-deployments-api.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of Deployment team-a/api " + kFreezeDenial}},
    {"real rollout restart",
     "apiserver-1.24/002-UPDATE-deployments-api.json",
     kSaturday,
     "restart",
     false,
     {"restart of Deployment team-a/api is blocked by blackout window \"weekend-freeze\""}},
    {"real set image",
     "apiserver-1.24/004-UPDATE-deployments-api.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of Deployment team-a/api is blocked"}},
    {"real server-side dry run is decided identically",
     "apiserver-1.24/005-CREATE-deployments-web.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of Deployment team-a/web " + kFreezeDenial}},
    {"real scale 2 -> 1 is not governed",
     "apiserver-1.24/008-UPDATE-deployments-scale-web.json",
     kSaturday,
     "not governed",
     true,
     {"UPDATE of Deployment team-a/web is not governed: scale between non-zero replica counts."}},
    {"real DELETE",
     "apiserver-1.24/009-DELETE-deployments-api.json",
     kSaturday,
     "delete",
     false,
     {"delete of Deployment team-a/api is blocked"}},
    {"real CREATE by a developer",
     "apiserver-1.24/017-CREATE-deployments-dev-app.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of Deployment team-a/dev-app is blocked"}},
    {"real CREATE on a weekday",
     "apiserver-1.24/001-CREATE-deployments-api.json",
     kWednesday,
     "deploy",
     true,
     {"deploy of Deployment team-a/api is allowed: no window blocks it."}},

    // kubectl-made objects (namespace prod-eu-1, user alice@example.com).
    {"create",
     "generated/deployment-create.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of Deployment prod-eu-1/api " + kFreezeDenial}},
    {"create on a weekday", "generated/deployment-create.json", kWednesday, "deploy", true, {"is allowed"}},
    {"set image", "generated/deployment-set-image.json", kSaturday, "deploy", false, {"deploy of Deployment"}},
    {"rollout restart",
     "generated/deployment-rollout-restart.json",
     kSaturday,
     "restart",
     false,
     {"restart of Deployment prod-eu-1/api is blocked"}},
    {"restart annotation plus a new image is a deploy",
     "generated/deployment-restart-and-set-image.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of Deployment prod-eu-1/api is blocked"}},
    {"scale subresource 3 -> 0",
     "generated/deployment-scale-to-zero.json",
     kSaturday,
     "hibernate",
     false,
     {"hibernate of Deployment prod-eu-1/api is blocked"}},
    {"scale subresource 0 -> 3",
     "generated/deployment-scale-from-zero.json",
     kSaturday,
     "unhibernate",
     false,
     {"unhibernate of Deployment prod-eu-1/api is blocked"}},
    {"scale subresource 3 -> 5",
     "generated/deployment-scale-3-to-5.json",
     kSaturday,
     "not governed",
     true,
     {"is not governed: scale between non-zero replica counts"}},
    {"replicas 3 -> 0 on the main resource",
     "generated/deployment-replicas-to-zero.json",
     kSaturday,
     "hibernate",
     false,
     {"hibernate of Deployment"}},
    {"replicas 0 -> 3 on the main resource",
     "generated/deployment-replicas-from-zero.json",
     kSaturday,
     "unhibernate",
     false,
     {"unhibernate of Deployment"}},
    {"label-only change",
     "generated/deployment-label-only.json",
     kSaturday,
     "not governed",
     true,
     {"UPDATE of Deployment prod-eu-1/api is not governed"}},
    {"pausing", "generated/deployment-paused.json", kSaturday, "not governed", true, {"is not governed"}},
    {"status subresource",
     "generated/deployment-status.json",
     kSaturday,
     "not governed",
     true,
     {"the status subresource is not governed"}},
    {"delete", "generated/deployment-delete.json", kSaturday, "delete", false, {"delete of Deployment prod-eu-1/api"}},
    {"deletecollection takes the name from oldObject",
     "generated/deployment-deletecollection.json",
     kSaturday,
     "delete",
     false,
     {"delete of Deployment prod-eu-1/api is blocked"}},
    {"dry run", "generated/deployment-create-dry-run.json", kSaturday, "deploy", false, {kFreezeDenial}},
    {"StatefulSet create",
     "generated/statefulset-create.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of StatefulSet prod-eu-1/api"}},
    {"StatefulSet set image",
     "generated/statefulset-set-image.json",
     kSaturday,
     "deploy",
     false,
     {"deploy of StatefulSet"}},
    {"StatefulSet to zero",
     "generated/statefulset-replicas-to-zero.json",
     kSaturday,
     "hibernate",
     false,
     {"hibernate of StatefulSet"}},
    {"DaemonSet create", "generated/daemonset-create.json", kSaturday, "deploy", false, {"deploy of DaemonSet"}},
    {"DaemonSet set image", "generated/daemonset-set-image.json", kSaturday, "deploy", false, {"deploy of DaemonSet"}},
    {"DaemonSet rollout restart",
     "generated/daemonset-rollout-restart.json",
     kSaturday,
     "restart",
     false,
     {"restart of DaemonSet"}},
    {"ReplicaSet create", "generated/replicaset-create.json", kSaturday, "deploy", false, {"deploy of ReplicaSet"}},
    {"Pod delete is a restart",
     "generated/pod-delete.json",
     kSaturday,
     "restart",
     false,
     {"restart of Pod prod-eu-1/api-7d9c4b6f5-x2x7k is blocked"}},
    {"Pod eviction is a restart",
     "generated/pod-eviction.json",
     kSaturday,
     "restart",
     false,
     {"restart of Pod prod-eu-1/api-7d9c4b6f5-x2x7k is blocked by blackout window \"weekend-freeze\""}},
    {"Pod eviction outside a block",
     "generated/pod-eviction.json",
     kWednesday,
     "restart",
     true,
     {"no window blocks it"}},
    {"Namespace delete",
     "generated/namespace-delete.json",
     kSaturday,
     "delete",
     false,
     {"delete of Namespace prod-eu-1 is blocked by blackout window \"weekend-freeze\""}},
    // The month-end window governs only hibernate: 2024-05-31 is the last day of May.
    {"hibernate at month end",
     "generated/deployment-scale-to-zero.json",
     "2024-05-31T12:00:00Z",
     "hibernate",
     false,
     {"blocked by blackout window \"month-end\"", "Month-end jobs need every replica. Nobody is exempt."}},
    {"deploy at month end",
     "generated/deployment-set-image.json",
     "2024-05-31T12:00:00Z",
     "deploy",
     true,
     {"no window blocks it"}},
    {"a new image and a scale to zero at once: the hibernate is denied",
     "generated/deployment-set-image-and-zero.json",
     "2024-05-31T12:00:00Z",
     "hibernate",
     false,
     {"hibernate of Deployment prod-eu-1/api is blocked"}},
};

INSTANTIATE_TEST_SUITE_P(RealAndKubectlObjects, FixtureDecision, ::testing::ValuesIn(kFixtureCases));

// Only a change of the restart annotation in the pod template's metadata is a
// restart; any other change to the template (its spec, labels or other
// annotations) is a deploy.
TEST(AdmissionDecision, OnlyTheRestartAnnotationMakesATemplateChangeARestart) {
  const std::string restart = fixture("generated/deployment-rollout-restart.json");
  const std::string restarted_at = R"("kubectl.kubernetes.io/restartedAt": "2024-05-04T12:00:00Z")";
  const std::string new_template_labels = restarted_at + R"(
            },
            "creationTimestamp": null,
            "labels": {
              "app": "api")";
  ASSERT_NE(restart.find(new_template_labels), std::string::npos);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"restart annotation alone", restart},
      {"another annotation as well",
       replace_all(restart, restarted_at, restarted_at + R"(, "team.example.com/owner": "b")")},
      {"another annotation instead", replace_all(restart, restarted_at, R"("team.example.com/owner": "b")")},
      {"a template label as well",
       replace_all(restart, new_template_labels, new_template_labels + R"(, "tier": "front")")},
      {"nothing", replace_all(restart, R"("annotations": {
              )" + restarted_at + R"(
            },
            )",
                              "")},
  };
  const std::vector<std::string> expected{"restart", "deploy", "deploy", "deploy", "not governed"};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(action_of(decide_review(cases[i].second, kWednesday)), expected[i]) << cases[i].first;
  }
}

TEST(AdmissionDecision, DryRunIsReportedAndDecidedLikeTheRealRequest) {
  const std::string real = fixture("generated/deployment-create.json");
  const std::string dry = fixture("generated/deployment-create-dry-run.json");
  auto decoded = decode_review(dry);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded.value().request().dry_run);
  EXPECT_EQ(decide_review(real, kSaturday).message, decide_review(dry, kSaturday).message);
}

TEST(AdmissionDecision, ExemptRequestersPassWithAWarningAndAnAuditAnnotation) {
  const std::string body = fixture("generated/deployment-create.json");
  const std::vector<Requester> exempt{
      {"oncall@example.com", std::vector<std::string_view>{"developers"}},
      {"bob@example.com", std::vector<std::string_view>{"sre-oncall"}},
      {"root@example.com", std::vector<std::string_view>{"platform-admins"}},
  };
  for (const Requester& requester : exempt) {
    const AdmissionDecision decision = decide_review(body, kSaturday, requester);
    EXPECT_TRUE(decision.allowed) << *requester.user;
    EXPECT_EQ(decision.message,
              "deploy of Deployment prod-eu-1/api is allowed: the requester is exempt from blackout window "
              "\"weekend-freeze\".");
    EXPECT_EQ(decision.warnings, std::vector<std::string>{"windowguard: deploy allowed only because you are exempt "
                                                          "from blackout window \"weekend-freeze\""});
    EXPECT_EQ(decision.audit_annotations, (AuditAnnotations{{AuditKey::Action, "deploy"},
                                                            {AuditKey::Decision, "allowed-exempt"},
                                                            {AuditKey::BypassedWindows, "weekend-freeze"}}));
  }
  // system:masters is not a super-admin group in this policy.
  EXPECT_FALSE(decide_review(body, kSaturday, {"admin", std::vector<std::string_view>{"system:masters"}}).allowed);
}

TEST(AdmissionDecision, DenialsCarryAuditAnnotationsNamingTheWindow) {
  const AdmissionDecision decision = decide_review(fixture("generated/deployment-create.json"), kSaturday);
  EXPECT_EQ(decision.audit_annotations,
            (AuditAnnotations{
                {AuditKey::Action, "deploy"}, {AuditKey::Decision, "denied"}, {AuditKey::Window, "weekend-freeze"}}));
}

TEST(AdmissionDecision, EveryBuiltInTrustedRequesterIsNeverGoverned) {
  const std::string body = fixture("generated/pod-delete.json");
  for (std::string user : core::Settings::builtin_trusted_requesters()) {
    user = replace_all(user, "*", "worker-1");
    const AdmissionDecision decision = decide_review(body, kSaturday, {user, std::vector<std::string_view>{}});
    EXPECT_TRUE(decision.allowed) << user;
    ASSERT_TRUE(decision.decision) << user;
    EXPECT_EQ(decision.decision->verdict, core::Verdict::Trusted) << user;
    EXPECT_EQ(decision.message,
              "restart of Pod prod-eu-1/api-7d9c4b6f5-x2x7k is allowed: the requester is trusted "
              "and never governed.");
  }
}

// An Eviction carries none of its Pod's labels: unless the Pod is read, a
// binding for one application of the environment applies to it, as to a
// Namespace DELETE, while a Pod DELETE (whose oldObject has the labels) and an
// eviction of a Pod read from the API server meet only their own
// application's.
TEST(AdmissionDecision, AnEvictionOfAnUnreadPodMeetsEveryBindingOfItsEnvironment) {
  using testing::WindowSpec;
  const core::Policy policy(
      {testing::make_window(WindowSpec{
          "billing-freeze", core::WindowType::Blackout, {core::Daily{testing::clock(0), testing::clock(23, 59)}}})},
      {core::Binding{{0}, {"prod-eu-1"}, {"billing"}, std::nullopt}}, core::Settings{});
  const auto request_of = [](const char* file) {
    auto decoded = decode_review(fixture(file));
    return std::move(decoded).value();
  };
  const DecodedReview eviction = request_of("generated/pod-eviction.json");
  const DecodedReview deletion = request_of("generated/pod-delete.json");
  const AdmissionDecision evicted = evaluate_request(policy, eviction.request(), utc(kWednesday));
  EXPECT_FALSE(evicted.allowed);
  EXPECT_NE(evicted.message.find(
                "restart of Pod prod-eu-1/api-7d9c4b6f5-x2x7k is blocked by blackout window \"billing-freeze\""),
            std::string::npos)
      << evicted.message;
  EXPECT_TRUE(evaluate_request(policy, deletion.request(), utc(kWednesday)).allowed);

  ObjectLabels pod_labels{{"app", "api"}};
  const AdmissionDecision api_evicted = evaluate_request(policy, eviction.request(), utc(kWednesday), nullptr,
                                                         ClusterFacts{.evicted_pod_labels = &pod_labels});
  EXPECT_TRUE(api_evicted.allowed) << api_evicted.message;
  EXPECT_EQ(api_evicted.classification.application, "api");
  pod_labels = {{"app", "billing"}};
  const AdmissionDecision billing_evicted = evaluate_request(policy, eviction.request(), utc(kWednesday), nullptr,
                                                             ClusterFacts{.evicted_pod_labels = &pod_labels});
  EXPECT_FALSE(billing_evicted.allowed);
  EXPECT_EQ(billing_evicted.classification.application, "billing");
}

TEST(AdmissionDecision, ArgoCdIsGovernedByDefault) {
  const AdmissionDecision decision =
      decide_review(fixture("generated/deployment-set-image.json"), kSaturday,
                    {"system:serviceaccount:argocd:argocd-application-controller", std::vector<std::string_view>{}});
  EXPECT_FALSE(decision.allowed);
}

TEST(AdmissionDecision, MaintenanceWindowsAllowOnlyWhileOpen) {
  const std::string body = replace_all(fixture("generated/deployment-set-image.json"), "prod-eu-1", "batch");
  const AdmissionDecision day = decide_review(body, "2024-05-08T16:00:00Z");  // 12:00 in New York
  EXPECT_FALSE(day.allowed);
  EXPECT_EQ(day.message,
            "deploy of Deployment batch/api is blocked outside maintenance window \"nightly-batch\", next open Wed "
            "2024-05-08 22:00 EDT until Thu 2024-05-09 06:00 EDT (America/New_York). Allowed again at Wed 2024-05-08 "
            "22:00 EDT (Thu 2024-05-09 02:00 UTC). Batch changes only at night. Nobody is exempt.");
  const AdmissionDecision night = decide_review(body, "2024-05-09T03:00:00Z");
  EXPECT_TRUE(night.allowed);
  EXPECT_EQ(night.message, "deploy of Deployment batch/api is allowed: a maintenance window is open.");
}

TEST(AdmissionDecision, WarnsWhenABlockStartsSoon) {
  const AdmissionDecision decision = decide_review(fixture("generated/deployment-create.json"), "2024-05-03T21:45:00Z");
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.warnings,
            std::vector<std::string>{"windowguard: deploy will be blocked from Sat 2024-05-04 00:00 CEST (Fri "
                                     "2024-05-03 22:00 UTC), in 15 min, by blackout window \"weekend-freeze\""});
}

TEST(AdmissionDecision, ABlockUnderAMinuteAwayIsNotSaidToBeInZeroMinutes) {
  const AdmissionDecision decision = decide_review(fixture("generated/deployment-create.json"), "2024-05-03T21:59:01Z");
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.warnings,
            std::vector<std::string>{"windowguard: deploy will be blocked from Sat 2024-05-04 00:00 CEST (Fri "
                                     "2024-05-03 22:00 UTC), in less than a minute, by blackout window "
                                     "\"weekend-freeze\""});
}

// A maintenance window blocks by closing, and the warning says so.
TEST(AdmissionDecision, WarnsWhenAMaintenanceWindowClosesSoon) {
  const std::string body = replace_all(fixture("generated/deployment-set-image.json"), "prod-eu-1", "batch");
  const AdmissionDecision decision = decide_review(body, "2024-05-09T09:45:00Z");  // 05:45 in New York
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.warnings,
            std::vector<std::string>{"windowguard: deploy will be blocked from Thu 2024-05-09 06:00 EDT (Thu "
                                     "2024-05-09 10:00 UTC), in 15 min, when maintenance window \"nightly-batch\" "
                                     "closes"});
}

// In a UTC window the zone's time and the UTC time read the same: once.
TEST(AdmissionDecision, AUtcWindowGivesEachInstantOnce) {
  using testing::WindowSpec;
  core::Settings settings;
  settings.warn_before_minutes = 120;
  const core::Policy policy(
      {testing::make_window(
          WindowSpec{"utc-freeze", core::WindowType::Blackout, {core::Daily{testing::clock(13), testing::clock(14)}}})},
      {core::Binding{{0}, {"prod-eu-1"}, {}, std::nullopt}}, settings);
  auto decoded = decode_review(fixture("generated/deployment-create.json"));
  const DecodedReview review = std::move(decoded).value();
  const AdmissionDecision denied = evaluate_request(policy, review.request(), utc(kWednesday) + core::hours{1});
  EXPECT_NE(denied.message.find("Allowed again at Wed 2024-05-08 14:00 UTC. "), std::string::npos) << denied.message;
  const AdmissionDecision warned = evaluate_request(policy, review.request(), utc(kWednesday));
  EXPECT_EQ(warned.warnings, std::vector<std::string>{"windowguard: deploy will be blocked from Wed 2024-05-08 13:00 "
                                                      "UTC, in 60 min, by blackout window \"utc-freeze\""});
}

TEST(AdmissionDecision, NotGovernedRequestsAreAllowedAndAnnotated) {
  const AdmissionDecision decision = decide_review(fixture("generated/deployment-label-only.json"), kSaturday);
  EXPECT_TRUE(decision.allowed);
  EXPECT_FALSE(decision.decision);
  EXPECT_EQ(decision.audit_annotations, (AuditAnnotations{{AuditKey::Decision, "not-governed"}}));
}

}  // namespace
}  // namespace windowguard::admission
