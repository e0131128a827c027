// Tests of webhook/policy/yaml_reader.cpp.
// The YAML layer of every policy file: syntax (with the likely cause of a
// syntax error), the header, unknown and duplicate keys, value forms.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace windowguard::policy {
namespace {

const MalformedCase kMalformed[] = {
    {"yaml_syntax",
     std::string(kHeader) + R"yaml(windows:
  - name: a
    type: [blackout
)yaml",
     {R"(p.yaml:6:1: YAML syntax error: end of sequence flow not found)"}},
    // yaml-cpp names the symptom; the message adds the likely cause.
    {"a_tab_in_the_indentation",
     std::string(kHeader) + "settings:\n  warnBeforeMinutes: 30\n  \tclusterName: x\n",
     {"p.yaml:5:3: YAML syntax error: illegal tab when looking for indentation (line 5 indents with a tab; YAML "
      "indents with spaces only)"}},
    {"a_tab_before_a_list_entry",
     std::string(kHeader) +
         "windows:\n  - name: w\n    type: blackout\n    durations:\n\t- daily: {from: \"01:00\", to: \"02:00\"}\n",
     {"p.yaml:7:2: YAML syntax error: illegal block entry (line 7 indents with a tab; YAML indents with spaces "
      "only)"}},
    {"an_indentation_out_of_line",
     std::string(kHeader) + "windows:\n  - name: w\n    type: blackout\n   durations: []\n",
     {"p.yaml:6:4: YAML syntax error: end of sequence not found (is this line indented to line up with the entries "
      "above it?)"}},
    // yaml-cpp 0.7's LoadAll looped forever, allocating, on these (found by
    // tests/fuzz/policy_fuzz); they must be syntax errors at the stray token.
    {"stray_comma", ",\n", {R"(p.yaml:1:1: YAML syntax error: unexpected token here)"}},
    {"stray_comma_after_a_document",
     kWindowA + "---\n  ,\n",
     {R"(p.yaml:7:3: YAML syntax error: unexpected token here)"}},
    {"not_a_mapping",
     R"yaml(- just
- a list
)yaml",
     {R"(p.yaml:1:1: a policy document must be a mapping, not a list)"}},
    {"missing_api_version",
     R"yaml(kind: WindowPolicy
windows: []
)yaml",
     {R"(p.yaml:1:1: a policy document is missing the required field "apiVersion")"}},
    {"wrong_api_version",
     R"yaml(apiVersion: windowguard.dev/v2
kind: WindowPolicy
)yaml",
     {R"(p.yaml:1:13: apiVersion must be "windowguard.dev/v1")"}},
    {"wrong_kind",
     R"yaml(apiVersion: windowguard.dev/v1
kind: Policy
)yaml",
     {R"(p.yaml:2:7: kind must be "WindowPolicy")"}},
    {"unknown_top_field",
     std::string(kHeader) + R"yaml(window:
  - name: a
)yaml",
     {R"(p.yaml:3:1: unknown field "window" in a policy document (did you mean "windows"?); expected one of: apiVersion, kind, settings, windows, bindings, exceptions, approvals, imagePolicies)"}},
    {"duplicate_key",
     kWindowA + R"yaml(    type: maintenance
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:6:5: field "type" is given twice in a window)"}},
    {"windows_not_a_list",
     std::string(kHeader) + R"yaml(windows:
  name: a
)yaml",
     {R"(p.yaml:4:3: windows must be a list, not a mapping)"}},
};

INSTANTIATE_TEST_SUITE_P(YamlReader, MalformedPolicy, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

// Every enumeration is matched without regard to case, as day and month
// names are; booleans are YAML 1.2's true and false, in any case.
TEST(PolicyLoader, EnumerationsAndBooleansIgnoreCase) {
  const LoadResult result = load_policy({{"p.yaml", std::string(kHeader) + R"yaml(windows:
  - name: w
    type: Blackout
    durations:
      - daily: {from: "01:00", to: "02:00"}
    actions: [Deploy, HIBERNATE]
    exempt: {superAdmins: True}
  - name: m
    type: MAINTENANCE
    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [w, m]
    environments: [prod]
    selector:
      matchExpressions:
        - {key: tier, operator: notin, values: [batch]}
)yaml"}});
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  const core::Window& blackout = result->policy->windows()[0];
  EXPECT_EQ(blackout.type, core::WindowType::Blackout);
  EXPECT_TRUE(blackout.actions.contains(core::Action::Deploy));
  EXPECT_TRUE(blackout.actions.contains(core::Action::Hibernate));
  EXPECT_FALSE(blackout.actions.contains(core::Action::Restart));
  EXPECT_TRUE(blackout.exempt.super_admins);
  EXPECT_EQ(result->policy->windows()[1].type, core::WindowType::Maintenance);
  ASSERT_TRUE(result->policy->bindings()[0].selector);
  EXPECT_EQ(result->policy->bindings()[0].selector->match_expressions[0].op, core::LabelRequirement::Operator::NotIn);
}

}  // namespace
}  // namespace windowguard::policy
