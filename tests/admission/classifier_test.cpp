// docs/admission.md, "Request -> action", one request at a time: what the
// classifier makes of each captured and generated review, and of the
// settings that change its reading.
#include "admission/classifier.hpp"

#include <gtest/gtest.h>

#include "support/configured_workloads.hpp"
#include "support/fixtures.hpp"

namespace windowguard::admission {
namespace {

using core::Action;
using Actions = std::vector<Action>;

struct ClassifierCase {
  const char* fixture;
  Actions actions;
  std::string reason;
  std::string kind;
  std::string environment;
  std::string application;
  bool whole_environment = false;
};

void PrintTo(const ClassifierCase& row, std::ostream* out) { *out << row.fixture; }

Classification classify_text(const std::string& body, const core::Settings& settings = {}) {
  auto decoded = decode_review(body);
  if (!decoded) {
    ADD_FAILURE() << decoded.error().message;
    return {};
  }
  // The classification's views point into the review: keep it for the test's run.
  static std::vector<DecodedReview> kept;
  kept.push_back(std::move(decoded).value());
  return classify(kept.back().request(), settings);
}

class ClassifiedFixture : public ::testing::TestWithParam<ClassifierCase> {};

TEST_P(ClassifiedFixture, NamesItsActionsReasonAndSubject) {
  const ClassifierCase& row = GetParam();
  const Classification classification = classify_text(testing::fixture(row.fixture));
  EXPECT_EQ(Actions(classification.actions.begin(), classification.actions.end()), row.actions);
  EXPECT_EQ(classification.reason, row.reason);
  EXPECT_EQ(classification.kind, row.kind);
  EXPECT_EQ(classification.environment, row.environment);
  EXPECT_EQ(classification.application, row.application);
  EXPECT_EQ(classification.whole_environment, row.whole_environment);
}

const ClassifierCase kClassifierCases[] = {
    {"apiserver-1.24/001-CREATE-deployments-api.json", {Action::Deploy}, "created", "Deployment", "team-a", "api"},
    {"apiserver-1.24/009-DELETE-deployments-api.json", {Action::Delete}, "deleted", "Deployment", "team-a", "api"},
    {"apiserver-1.24/008-UPDATE-deployments-scale-web.json",
     {},
     "scale between non-zero replica counts",
     "Deployment",
     "team-a",
     "web"},
    {"generated/deployment-set-image.json",
     {Action::Deploy},
     "spec.template changed",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-rollout-restart.json",
     {Action::Restart},
     "pod template restart annotation changed",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-restart-and-set-image.json",
     {Action::Deploy},
     "spec.template changed",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-replicas-to-zero.json",
     {Action::Hibernate},
     "replicas scaled to 0",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-replicas-from-zero.json",
     {Action::Unhibernate},
     "replicas scaled up from 0",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-set-image-and-zero.json",
     {Action::Deploy, Action::Hibernate},
     "spec.template changed and replicas scaled to 0",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-scale-to-zero.json",
     {Action::Hibernate},
     "replicas scaled to 0",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-scale-from-zero.json",
     {Action::Unhibernate},
     "replicas scaled up from 0",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-label-only.json",
     {},
     "neither spec.template nor a scale to or from zero changed",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-paused.json",
     {},
     "neither spec.template nor a scale to or from zero changed",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-status.json",
     {},
     "the status subresource is not governed",
     "Deployment",
     "prod-eu-1",
     "api"},
    {"generated/deployment-deletecollection.json", {Action::Delete}, "deleted", "Deployment", "prod-eu-1", "api"},
    {"generated/statefulset-create.json", {Action::Deploy}, "created", "StatefulSet", "prod-eu-1", "api"},
    {"generated/statefulset-replicas-to-zero.json",
     {Action::Hibernate},
     "replicas scaled to 0",
     "StatefulSet",
     "prod-eu-1",
     "api"},
    {"generated/daemonset-set-image.json", {Action::Deploy}, "spec.template changed", "DaemonSet", "prod-eu-1", "api"},
    {"generated/replicaset-create.json", {Action::Deploy}, "created", "ReplicaSet", "prod-eu-1", "api"},
    {"generated/pod-delete.json", {Action::Restart}, "pod deleted", "Pod", "prod-eu-1", "api"},
    // An Eviction carries none of its Pod's labels: the whole environment.
    {"generated/pod-eviction.json", {Action::Restart}, "pod evicted", "Pod", "prod-eu-1", "", true},
    // A Namespace is its own environment.
    {"generated/namespace-delete.json", {Action::Delete}, "namespace deleted", "Namespace", "prod-eu-1", "", true},
    // The doors beside the workloads.  A bare Pod's, Job's or CronJob's
    // application is its own label's, else its template's.
    {"generated/pod-create.json", {Action::Deploy}, "pod created", "Pod", "prod-eu-1", "web"},
    {"generated/pod-create-generate-name.json", {Action::Deploy}, "pod created", "Pod", "prod-eu-1", "web"},
    {"generated/pod-set-image.json", {Action::Deploy}, "a container image changed", "Pod", "prod-eu-1", "web"},
    {"generated/pod-label-only.json", {}, "no container image changed", "Pod", "prod-eu-1", "web"},
    // kubectl debug: how an incident is looked into.
    {"generated/pod-debug.json",
     {},
     "the pods/ephemeralcontainers subresource is not governed",
     "Pod",
     "prod-eu-1",
     "web"},
    {"generated/job-create.json", {Action::Deploy}, "created", "Job", "prod-eu-1", "api"},
    {"generated/job-delete.json", {Action::Delete}, "deleted", "Job", "prod-eu-1", "api"},
    {"generated/cronjob-create.json", {Action::Deploy}, "created", "CronJob", "prod-eu-1", "api"},
    {"generated/cronjob-set-image.json", {Action::Deploy}, "spec.jobTemplate changed", "CronJob", "prod-eu-1", "api"},
    {"generated/cronjob-suspend.json", {Action::Hibernate}, "suspended", "CronJob", "prod-eu-1", "api"},
    {"generated/cronjob-resume.json", {Action::Unhibernate}, "resumed", "CronJob", "prod-eu-1", "api"},
    {"generated/cronjob-label-only.json",
     {},
     "neither spec.jobTemplate nor spec.suspend changed",
     "CronJob",
     "prod-eu-1",
     "api"},
    {"generated/cronjob-delete.json", {Action::Delete}, "deleted", "CronJob", "prod-eu-1", "api"},
};

INSTANTIATE_TEST_SUITE_P(Table, ClassifiedFixture, ::testing::ValuesIn(kClassifierCases));

TEST(Classifier, TheFirstAppLabelKeyPresentNamesTheApplication) {
  const std::string body = testing::replace_all(
      testing::fixture("generated/deployment-create.json"), "\"labels\": {\n          \"app\": \"api\"\n        }",
      "\"labels\": {\"app\": \"api\", \"app.kubernetes.io/name\": \"storefront\"}");
  ASSERT_NE(body.find("storefront"), std::string::npos) << "the fixture's labels are written as expected";
  EXPECT_EQ(classify_text(body).application, "storefront");
  core::Settings settings;
  settings.app_label_keys = {"app"};
  EXPECT_EQ(classify_text(body, settings).application, "api");
  settings.app_label_keys = {"team"};
  EXPECT_EQ(classify_text(body, settings).application, "");
}

TEST(Classifier, OnlyTheConfiguredRestartAnnotationsMakeARestart) {
  core::Settings settings;
  settings.restart_annotations = {"example.com/restarted"};
  const Classification classification =
      classify_text(testing::fixture("generated/deployment-rollout-restart.json"), settings);
  EXPECT_EQ(Actions(classification.actions.begin(), classification.actions.end()), Actions{Action::Deploy});
  EXPECT_EQ(classification.reason, "spec.template changed");
}

// What image rules read: the pod spec each kind runs.
TEST(Classifier, ADeployNamesThePodSpecItRunsAndTheOneItReplaces) {
  const auto first_image = [](const rapidjson::Value* pod_spec) -> std::string {
    if (pod_spec == nullptr) {
      return "(none)";
    }
    return (*pod_spec)["containers"][0]["image"].GetString();
  };
  const Classification pod = classify_text(testing::fixture("generated/pod-set-image.json"));
  EXPECT_EQ(first_image(pod.pod_spec), "registry.example.com/evil/y:latest");
  EXPECT_EQ(first_image(pod.old_pod_spec), "registry.example.com/shop/web:latest");
  const Classification job = classify_text(testing::fixture("generated/job-create.json"));
  EXPECT_EQ(first_image(job.pod_spec), "registry.example.com/shop/web:latest");
  EXPECT_EQ(first_image(job.old_pod_spec), "(none)");
  const Classification cronjob = classify_text(testing::fixture("generated/cronjob-set-image.json"));
  EXPECT_EQ(first_image(cronjob.pod_spec), "nginx:1.26");
  EXPECT_EQ(first_image(cronjob.old_pod_spec), "nginx:1.25");
  const Classification deployment = classify_text(testing::fixture("generated/deployment-set-image.json"));
  EXPECT_EQ(first_image(deployment.pod_spec), "nginx:1.26");
  EXPECT_EQ(first_image(deployment.old_pod_spec), "nginx:1.25");
  // Not a deploy: nothing for image rules to read.
  EXPECT_EQ(first_image(classify_text(testing::fixture("generated/cronjob-suspend.json")).pod_spec), "(none)");
}

// settings.workloads: a kind of another group, read at its own paths.
TEST(Classifier, AConfiguredWorkloadIsClassifiedAsADeploymentIs) {
  core::Settings settings;
  settings.workloads = {testing::argo_rollouts()};
  const auto as_rollout = [](const std::string& body) {
    return testing::replace_all(body, "\"group\": \"apps\",\n      \"resource\": \"deployments\"",
                                "\"group\": \"argoproj.io\",\n      \"resource\": \"rollouts\"");
  };
  const Classification set_image =
      classify_text(as_rollout(testing::fixture("generated/deployment-set-image.json")), settings);
  EXPECT_EQ(Actions(set_image.actions.begin(), set_image.actions.end()), Actions{Action::Deploy});
  EXPECT_EQ(set_image.kind, "Rollout");
  const Classification to_zero =
      classify_text(as_rollout(testing::fixture("generated/deployment-scale-to-zero.json")), settings);
  EXPECT_EQ(Actions(to_zero.actions.begin(), to_zero.actions.end()), Actions{Action::Hibernate});
  EXPECT_TRUE(classify_text(as_rollout(testing::fixture("generated/deployment-create.json"))).actions.empty())
      << "a kind the settings do not name is not governed";
  settings.workloads[0].template_path = {"spec", "workloadTemplate"};
  EXPECT_TRUE(
      classify_text(as_rollout(testing::fixture("generated/deployment-set-image.json")), settings).actions.empty())
      << "the template is read where the settings say it is";
}

TEST(Classifier, OtherResourcesAreNotGoverned) {
  const std::string body = testing::replace_all(testing::fixture("generated/deployment-create.json"),
                                                "\"group\": \"apps\",\n      \"resource\": \"deployments\"",
                                                "\"group\": \"\",\n      \"resource\": \"configmaps\"");
  ASSERT_NE(body.find("configmaps"), std::string::npos) << "the fixture's resource is written as expected";
  const Classification classification = classify_text(body);
  EXPECT_TRUE(classification.actions.empty());
  EXPECT_EQ(classification.reason, "resource configmaps is not governed");
}

}  // namespace
}  // namespace windowguard::admission
