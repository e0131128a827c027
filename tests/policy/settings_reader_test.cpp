// Tests of webhook/policy/settings_reader.cpp.
// The settings block, and the workload kinds it adds.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace windowguard::policy {
namespace {

const MalformedCase kMalformed[] = {
    {"settings_negative_warn",
     std::string(kHeader) + R"yaml(settings:
  warnBeforeMinutes: -5
)yaml",
     {R"(p.yaml:4:22: warnBeforeMinutes must be a whole number between 0 and 10080)"}},
    {"settings_upcoming_days",
     std::string(kHeader) + R"yaml(settings:
  upcomingDays: {blackout: 0, maintenance: 90}
)yaml",
     {R"(p.yaml:4:28: upcomingDays.blackout must be a whole number between 1 and 3660)"}},
    {"settings_app_label_keys_empty",
     std::string(kHeader) + R"yaml(settings:
  appLabelKeys: []
)yaml",
     {R"(p.yaml:4:17: appLabelKeys must not be an empty list)"}},
};

INSTANTIATE_TEST_SUITE_P(SettingsReader, MalformedPolicy, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyLoader, RefusesWorkloadsItCannotGovern) {
  const auto errors = [](const std::string& workloads) {
    return errors_of(load_policy({{"p.yaml", std::string(kHeader) + "settings:\n  workloads:\n" + workloads}}));
  };
  EXPECT_EQ(
      errors("    - {group: apps, version: v1, resource: deployments, kind: Deployment, template: spec.template}\n"),
      std::vector<std::string>{R"(p.yaml:5:7: workloads entry "deployments.apps" is governed already)"});
  EXPECT_EQ(errors("    - {group: a.io, version: v1, resource: rs, kind: R, template: spec.template}\n"
                   "    - {group: a.io, version: v1, resource: rs, kind: R, template: spec.template}\n"),
            std::vector<std::string>{R"(p.yaml:6:7: workloads entry "rs.a.io" is listed twice)"});
  EXPECT_EQ(errors("    - {group: a.io, version: v1, resource: rs, kind: R, template: spec.pod-template}\n"),
            std::vector<std::string>{
                R"(p.yaml:5:67: workloads entry "rs.a.io" template "spec.pod-template" must be field names joined by )"
                R"('.', each a letter or '_' then letters, digits or '_' ("spec.template"))"});
  EXPECT_EQ(
      errors("    - {group: a.io, version: v1, resource: rs, kind: R, template: spec.template, scale: true}\n"),
      std::vector<std::string>{
          R"(p.yaml:5:89: workloads entry "rs.a.io": scale needs replicas, the field the scale subresource sets)"});
  EXPECT_EQ(
      errors("    - {group: a.io, version: v1, resource: Rs, kind: R}\n"),
      (std::vector<std::string>{
          R"(p.yaml:5:7: workloads entry "Rs.a.io": resource must be the plural, lower-case name the API serves ("rollouts"))",
          R"(p.yaml:5:7: workloads entry "Rs.a.io" is missing the required field "template")"}));
}

}  // namespace
}  // namespace windowguard::policy
