#include "admission/webhook_configuration.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "support/configured_workloads.hpp"

namespace windowguard::admission {
namespace {

YAML::Node webhook_of(const WebhookConfiguration& rendered) { return YAML::Load(rendered.yaml)["webhooks"][0]; }

std::string condition(const YAML::Node& webhook, const std::string& name) {
  for (const YAML::Node& item : webhook["matchConditions"]) {
    if (item["name"].as<std::string>() == name) {
      return item["expression"].as<std::string>();
    }
  }
  return {};
}

WebhookClient service_client() { return {ServiceReference{"windowguard", "windowguard", 443}, "", ""}; }

TEST(WebhookConfiguration, TrustedNamesAndPrefixGlobsBecomeOneMatchCondition) {
  core::Settings settings;
  settings.trusted_requesters = {"system:kube-scheduler", "system:node:*", "ci-*", "robot-?", "*-bot"};
  const WebhookConfiguration rendered = render_webhook_configuration(settings, service_client(), "test");
  const std::string trusted = condition(webhook_of(rendered), "not-a-trusted-requester");
  // The built-in base first, each name once, then what the policy adds.
  EXPECT_EQ(trusted.rfind("!(request.userInfo.username in [\n  'system:kube-controller-manager',\n", 0), 0U) << trusted;
  const std::size_t scheduler = trusted.find("'system:kube-scheduler'");
  EXPECT_NE(scheduler, std::string::npos);
  EXPECT_EQ(trusted.find("'system:kube-scheduler'", scheduler + 1), std::string::npos);
  EXPECT_NE(trusted.find("'system:serviceaccount:kube-system:job-controller'"), std::string::npos);
  const std::string tail =
      "] ||\nrequest.userInfo.username.startsWith('system:node:') ||\n"
      "request.userInfo.username.startsWith('ci-'))";
  EXPECT_EQ(trusted.substr(trusted.size() - tail.size()), tail);
  EXPECT_EQ(rendered.left_to_the_webhook, (std::vector<std::string>{"robot-?", "*-bot"}));
  EXPECT_NE(rendered.yaml.find("# trusted requester \"robot-?\" has no CEL form: the webhook allows it."),
            std::string::npos);
}

TEST(WebhookConfiguration, AnEmptyTrustedListStillSkipsKubernetesOwnControllers) {
  core::Settings settings;
  settings.trusted_requesters.clear();
  const YAML::Node webhook = webhook_of(render_webhook_configuration(settings, service_client(), "test"));
  ASSERT_EQ(webhook["matchConditions"].size(), 2U);
  for (const char* controller : {"job-controller", "cronjob-controller", "replicaset-controller"}) {
    EXPECT_NE(condition(webhook, "not-a-trusted-requester")
                  .find(std::string("'system:serviceaccount:kube-system:") + controller + "'"),
              std::string::npos)
        << controller;
  }
  EXPECT_EQ(condition(webhook, "a-governed-request").rfind("request.operation != 'UPDATE' ||", 0), 0U);
}

TEST(WebhookConfiguration, UserNamesAreEscapedAsCelStringLiterals) {
  EXPECT_EQ(cel_string_literal("o'brien\\x\n"), R"('o\'brien\\x\x0a')");
  core::Settings settings;
  settings.trusted_requesters = {"it's me"};
  EXPECT_NE(
      condition(webhook_of(render_webhook_configuration(settings, service_client(), "test")), "not-a-trusted-requester")
          .find(R"('it\'s me')"),
      std::string::npos);
}

TEST(WebhookConfiguration, AServiceOrAUrlWithItsCaBundle) {
  const YAML::Node by_service = webhook_of(render_webhook_configuration({}, service_client(), "test"));
  EXPECT_EQ(by_service["clientConfig"]["service"]["namespace"].as<std::string>(), "windowguard");
  EXPECT_EQ(by_service["clientConfig"]["service"]["path"].as<std::string>(), "/validate");
  EXPECT_EQ(by_service["clientConfig"]["service"]["port"].as<int>(), 443);
  EXPECT_FALSE(by_service["clientConfig"]["caBundle"]);
  const YAML::Node by_url =
      webhook_of(render_webhook_configuration({}, {std::nullopt, "https://127.0.0.1:8443/validate", "Q0E="}, "test"));
  EXPECT_EQ(by_url["clientConfig"]["url"].as<std::string>(), "https://127.0.0.1:8443/validate");
  EXPECT_EQ(by_url["clientConfig"]["caBundle"].as<std::string>(), "Q0E=");
  EXPECT_FALSE(by_url["clientConfig"]["service"]);
}

// "group resource OPERATION" for each request the webhook's rules send.
std::vector<std::string> covered_by(const YAML::Node& webhook) {
  std::vector<std::string> covered;
  for (const YAML::Node& rule : webhook["rules"]) {
    for (const YAML::Node& group : rule["apiGroups"]) {
      for (const YAML::Node& resource : rule["resources"]) {
        for (const YAML::Node& operation : rule["operations"]) {
          covered.push_back(group.as<std::string>() + " " + resource.as<std::string>() + " " +
                            operation.as<std::string>());
        }
      }
    }
  }
  return covered;
}

TEST(WebhookConfiguration, RulesSendEveryGovernedRequestAndNothingElse) {
  const YAML::Node webhook = webhook_of(render_webhook_configuration({}, service_client(), "test"));
  const std::vector<std::string> covered = covered_by(webhook);
  std::vector<std::string> expected;
  for (const char* resource : {"deployments", "deployments/scale", "statefulsets", "statefulsets/scale", "daemonsets",
                               "replicasets", "replicasets/scale"}) {
    for (const char* operation : {"CREATE", "UPDATE", "DELETE"}) {
      expected.push_back(std::string("apps ") + resource + " " + operation);
    }
  }
  expected.insert(expected.end(), {" pods CREATE", " pods UPDATE", " pods DELETE", " pods/eviction CREATE",
                                   "batch jobs CREATE", "batch jobs DELETE", "batch cronjobs CREATE",
                                   "batch cronjobs UPDATE", "batch cronjobs DELETE", " namespaces DELETE"});
  EXPECT_EQ(covered, expected);
  EXPECT_EQ(webhook["failurePolicy"].as<std::string>(), "Fail");
  EXPECT_EQ(webhook["sideEffects"].as<std::string>(), "None");
}

// A configured kind gets its rule, its scale subresource, and a branch of the
// UPDATE condition that reads its own paths.
TEST(WebhookConfiguration, AConfiguredWorkloadIsSentAsADeploymentIs) {
  core::Settings settings;
  settings.workloads = {testing::argo_rollouts(), testing::batch_runs()};
  const YAML::Node webhook = webhook_of(render_webhook_configuration(settings, service_client(), "test"));
  const std::vector<std::string> covered = covered_by(webhook);
  for (const char* request :
       {"argoproj.io rollouts CREATE", "argoproj.io rollouts/scale UPDATE", "example.com batchruns DELETE"}) {
    EXPECT_NE(std::find(covered.begin(), covered.end(), request), covered.end()) << request;
  }
  EXPECT_EQ(std::find(covered.begin(), covered.end(), "example.com batchruns/scale UPDATE"), covered.end());
  const std::string updates = condition(webhook, "a-governed-request");
  // Rollouts share the Deployments' paths, so their last branch.
  EXPECT_EQ(updates.find("'rollouts'"), std::string::npos);
  EXPECT_NE(updates.find("request.resource.group == 'example.com' && request.resource.resource == 'batchruns'\n"
                         "  ? (has(object.spec) && has(object.spec.run) && has(object.spec.run.podTemplate))"),
            std::string::npos)
      << updates;
}

// The API server allows 64 matchConditions: however many kinds and trusted
// requesters a policy names, windowguard renders two.
TEST(WebhookConfiguration, ManyKindsAndRequestersStillMakeTwoMatchConditions) {
  core::Settings settings;
  for (int i = 0; i < 100; ++i) {
    settings.workloads.push_back({"example.com",
                                  "v1",
                                  "kind" + std::to_string(i) + "s",
                                  "Kind" + std::to_string(i),
                                  core::ResourceShape::Workload,
                                  {"spec", "t" + std::to_string(i)},
                                  {},
                                  false});
    settings.trusted_requesters.push_back("robot-" + std::to_string(i));
    settings.trusted_requesters.push_back("team-" + std::to_string(i) + "-*");
  }
  const YAML::Node webhook = webhook_of(render_webhook_configuration(settings, service_client(), "test"));
  EXPECT_EQ(webhook["matchConditions"].size(), 2U);
  EXPECT_NE(condition(webhook, "a-governed-request").find("request.resource.resource == 'kind99s'"), std::string::npos);
}

// Writes to windowguard's own objects go to a webhook of their own: every
// create, update and delete, in whatever namespace, to the same client,
// whoever makes it but Kubernetes' own controllers.  A policy's trusted
// requesters are sent: a trusted CI token must not file requests unchecked.
TEST(WebhookConfiguration, EveryWriteToWindowguardsObjectsIsSentButKubernetesOwn) {
  core::Settings settings;
  settings.trusted_requesters = {"ci-bot"};
  const YAML::Node webhooks =
      YAML::Load(render_webhook_configuration(settings, service_client(), "test").yaml)["webhooks"];
  ASSERT_EQ(webhooks.size(), 2U);
  const YAML::Node exceptions = webhooks[1];
  EXPECT_EQ(exceptions["name"].as<std::string>(), "exceptions.windowguard.dev");
  EXPECT_EQ(covered_by(exceptions),
            (std::vector<std::string>{
                "windowguard.dev windowexceptions CREATE", "windowguard.dev windowexceptions UPDATE",
                "windowguard.dev windowexceptions DELETE", "windowguard.dev windowexceptions/status CREATE",
                "windowguard.dev windowexceptions/status UPDATE", "windowguard.dev windowexceptions/status DELETE",
                "windowguard.dev imageapprovals CREATE", "windowguard.dev imageapprovals UPDATE",
                "windowguard.dev imageapprovals DELETE", "windowguard.dev imageapprovals/status CREATE",
                "windowguard.dev imageapprovals/status UPDATE", "windowguard.dev imageapprovals/status DELETE"}));
  ASSERT_EQ(exceptions["matchConditions"].size(), 1U);
  const std::string skipped = exceptions["matchConditions"][0]["expression"].as<std::string>();
  EXPECT_NE(skipped.find("'system:serviceaccount:kube-system:namespace-controller'"), std::string::npos);
  EXPECT_EQ(skipped.find("ci-bot"), std::string::npos) << skipped;
  EXPECT_FALSE(exceptions["namespaceSelector"]);
  EXPECT_EQ(exceptions["failurePolicy"].as<std::string>(), "Fail");
  EXPECT_EQ(exceptions["clientConfig"]["service"]["path"].as<std::string>(), "/validate");
}

}  // namespace
}  // namespace windowguard::admission
