#include "admission/explanation.hpp"

#include <gtest/gtest.h>

#include "support/policy_builder.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::admission {
namespace {

using testing::utc;

Classification classified(std::string_view kind, std::string_view environment, std::string reason = "") {
  Classification classification;
  classification.kind = kind;
  classification.environment = environment;
  classification.reason = std::move(reason);
  return classification;
}

const Classification kApi = classified("Deployment", "team-a");

TEST(Explanation, ARequestThatIsNotGovernedSaysWhatItIsAndWhy) {
  const Classification labelled = classified("Deployment", "team-a", "only metadata changed");
  EXPECT_EQ(explain_not_governed({"UPDATE", labelled, "api"}),
            "UPDATE of Deployment team-a/api is not governed: only metadata changed.");
}

TEST(Explanation, ANamespaceIsNamedOnceNotAsItsOwnEnvironment) {
  Classification name_space = classified("Namespace", "team-a", "a namespace is created");
  name_space.object_is_the_environment = true;
  EXPECT_EQ(explain_not_governed({"CREATE", name_space, "team-a"}),
            "CREATE of Namespace team-a is not governed: a namespace is created.");
}

// Each way to be allowed without an exemption, in its own words.
TEST(Explanation, EachAllowanceSaysWhy) {
  const core::Policy policy({}, {}, core::Settings{});
  const std::pair<core::Verdict, const char*> rows[] = {
      {core::Verdict::Trusted,
       "deploy of Deployment team-a/api is allowed: the requester is trusted and never governed."},
      {core::Verdict::InsideMaintenance, "deploy of Deployment team-a/api is allowed: a maintenance window is open."},
      {core::Verdict::Unrestricted, "deploy of Deployment team-a/api is allowed: no window blocks it."},
  };
  for (const auto& [verdict, message] : rows) {
    core::Decision decision;
    decision.verdict = verdict;
    EXPECT_EQ(explain(policy, decision, {"deploy", kApi, "api"}), message);
  }
}

// A block longer than the search horizon, several exempt users and groups,
// no message of the window's own.
TEST(Explanation, ABlockWithoutAnEndWithinTheHorizonSaysSo) {
  core::Window window =
      testing::make_window({"decade",
                            core::WindowType::Blackout,
                            {core::Once{testing::local(2020, 1, 1), testing::local(2040, 1, 1)}},
                            core::Exemptions{false, {"ann@example.com", "bob@example.com"}, {"sre", "oncall"}}});
  window.message.clear();
  const core::Policy policy({window}, {core::Binding{{0}, {"*"}, {}, std::nullopt}}, core::Settings{});
  const std::vector<std::string_view> no_groups;
  core::DecisionInput input;
  input.subject = core::Subject{"team-a", "api", {}, false};
  input.requester = core::Requester{"carol@example.com", no_groups};
  input.at = utc("2024-05-08T12:00:00Z");
  EXPECT_EQ(explain(policy, core::decide(policy, input), {"deploy", kApi, "api"}),
            "deploy of Deployment team-a/api is blocked by blackout window \"decade\", active Wed 2020-01-01 00:00 UTC "
            "until Sun 2040-01-01 00:00 UTC (UTC). The block has no end within the next 3660 days. Exempt: users "
            "ann@example.com, bob@example.com; groups sre, oncall.");
}

TEST(Explanation, AnAllowanceNamesEveryWindowTheRequesterIsExemptFrom) {
  const core::Exemptions sre{false, {}, {"sre"}};
  const core::Policy policy({testing::make_window({"weekend",
                                                   core::WindowType::Blackout,
                                                   {core::Once{testing::local(2024, 5, 4), testing::local(2024, 5, 6)}},
                                                   sre}),
                             testing::make_window({"nights",
                                                   core::WindowType::Maintenance,
                                                   {core::Once{testing::local(2024, 5, 1), testing::local(2024, 5, 2)}},
                                                   sre})},
                            {core::Binding{{0, 1}, {"*"}, {}, std::nullopt}}, core::Settings{});
  const std::vector<std::string_view> groups{"sre"};
  core::DecisionInput input;
  input.subject = core::Subject{"team-a", "api", {}, false};
  input.requester = core::Requester{"carol@example.com", groups};
  input.at = utc("2024-05-04T12:00:00Z");
  const core::Decision decision = core::decide(policy, input);
  EXPECT_EQ(explain(policy, decision, {"deploy", kApi, "api"}),
            "deploy of Deployment team-a/api is allowed: the requester is exempt from blackout window \"weekend\", "
            "maintenance window \"nights\".");
  EXPECT_EQ(audit_annotations_for(policy, decision, core::Action::Deploy),
            (AuditAnnotations{
                {"action", "deploy"}, {"decision", "allowed-exempt"}, {"bypassed-windows", "weekend, nights"}}));
}

}  // namespace
}  // namespace windowguard::admission
