// docs/admission.md, "Request -> action", one request at a time: what the
// classifier makes of each captured and generated review, and of the
// settings that change its reading.
#include "admission/classifier.hpp"

#include <gtest/gtest.h>

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
