// Tests of webhook/policy/binding_reader.cpp.
// A binding: its windows, environments, applications and namespace selector.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace windowguard::policy {
namespace {

const MalformedCase kMalformed[] = {
    {"unknown_window_in_binding",
     std::string(kHeader) + R"yaml(windows:
  - name: weekend-freeze
    type: blackout
    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [weekend-freez]
    environments: [prod]
)yaml",
     {R"(p.yaml:9:15: binding refers to unknown window "weekend-freez" (did you mean "weekend-freeze"?))"}},
    {"binding_missing_environments",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [a]
)yaml",
     {R"(p.yaml:9:5: a binding is missing the required field "environments")"}},
    {"selector_bad_operator",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [a]
    environments: [prod]
    selector:
      matchExpressions:
        - {key: tier, operator: Equals, values: [web]}
)yaml",
     {R"(p.yaml:13:33: matchExpressions operator "Equals" is unknown; expected In, NotIn, Exists or DoesNotExist)"}},
    {"selector_in_without_values",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [a]
    environments: [prod]
    selector:
      matchExpressions:
        - {key: tier, operator: In}
)yaml",
     {R"(p.yaml:13:11: matchExpressions operator In needs a non-empty values list)"}},
    {"empty_applications",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [a]
    environments: [prod]
    applications: []
)yaml",
     {R"(p.yaml:11:19: binding applications must not be an empty list; omit it to match every application)"}},
};

INSTANTIATE_TEST_SUITE_P(BindingReader, MalformedPolicy, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyLoader, ABindingMaySelectNamespacesByLabelBesideOrInsteadOfNamingThem) {
  const LoadResult result = load_policy({{"p.yaml", kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [a]
    namespaceSelector:
      matchLabels: {env: prod}
      matchExpressions: [{key: team, operator: In, values: [payments]}]
  - windows: [a]
    environments: [staging]
    namespaceSelector: {matchLabels: {env: staging}}
)yaml"}});
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  const auto& bindings = result->policy->bindings();
  ASSERT_EQ(bindings.size(), 2U);
  EXPECT_TRUE(bindings[0].environments.empty());
  ASSERT_TRUE(bindings[0].namespace_selector.has_value());
  EXPECT_EQ(bindings[0].namespace_selector->match_labels.size(), 1U);
  EXPECT_EQ(bindings[0].namespace_selector->match_expressions.size(), 1U);
  EXPECT_EQ(bindings[1].environments, std::vector<std::string>{"staging"});
  EXPECT_TRUE(result->policy->selects_namespaces());
  const LoadResult neither = load_policy({{"p.yaml", kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [a]
)yaml"}});
  EXPECT_EQ(errors_of(neither),
            std::vector<std::string>{R"(p.yaml:9:5: a binding is missing the required field "environments")"});
}

}  // namespace
}  // namespace windowguard::policy
