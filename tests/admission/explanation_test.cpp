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
            (AuditAnnotations{{AuditKey::Action, "deploy"},
                              {AuditKey::Decision, "allowed-exempt"},
                              {AuditKey::BypassedWindows, "weekend, nights"}}));
}

// A blackout in Berlin that the user is exempt from, and one that an
// exception lifts: the message, the warnings and the audit annotations name
// the exception, its reason and its approvers.
TEST(Explanation, AnExceptionIsNamedWithItsReasonApproversAndEnd) {
  const core::Once weekend{testing::local(2026, 12, 5), testing::local(2026, 12, 7)};
  core::Window freeze = testing::make_window({.name = "weekend-freeze",
                                              .recurrences = {weekend},
                                              .zone_name = "Europe/Berlin",
                                              .exceptions = core::ExceptionRule{}});
  core::Window quiet = testing::make_window(
      {.name = "quiet", .recurrences = {weekend}, .exempt = core::Exemptions{false, {"alice"}, {}}});
  const core::Policy policy({freeze, quiet}, {core::Binding{{0, 1}, {"payments-prod"}, {}, std::nullopt}},
                            core::Settings{});
  core::WindowException exception;
  exception.namespace_name = "payments-prod";
  exception.name = "inc-4711";
  exception.requested_by = "alice";
  exception.reason = "INC-4711: card payments failing";
  exception.scope.windows = {"weekend-freeze"};
  exception.scope.users = {"alice"};
  exception.scope.from = utc("2026-12-05T17:00:00Z");
  exception.scope.until = utc("2026-12-05T21:00:00Z");
  exception.approvals = {{"bob", utc("2026-12-05T17:01:00Z"), {"system:masters"}}};
  const core::ExceptionBook book({exception});
  const std::vector<std::string_view> no_groups;
  core::DecisionInput input;
  input.subject = core::Subject{"payments-prod", "checkout", {}, false};
  input.requester = core::Requester{"alice", no_groups};
  input.at = utc("2026-12-05T18:00:00Z");
  input.exceptions = &book;
  const core::Decision decision = core::decide(policy, input);
  const Classification checkout = classified("Deployment", "payments-prod");
  EXPECT_EQ(explain(policy, decision, {"deploy", checkout, "checkout"}),
            "deploy of Deployment payments-prod/checkout is allowed: the requester is exempt from blackout window "
            "\"quiet\"; and under exception \"payments-prod/inc-4711\" until Sat 2026-12-05 22:00 CET (Sat 2026-12-05 "
            "21:00 UTC) (reason: INC-4711: card payments failing; approved by bob).");
  EXPECT_EQ(warnings_for(policy, decision, core::Action::Deploy, input.at),
            (std::vector<std::string>{
                "windowguard: deploy allowed only because exception \"payments-prod/inc-4711\" until Sat 2026-12-05 "
                "22:00 CET (Sat 2026-12-05 21:00 UTC) (reason: INC-4711: card payments failing; approved by bob) "
                "lifts blackout window \"weekend-freeze\"",
                "windowguard: deploy allowed only because you are exempt from blackout window \"quiet\""}));
  EXPECT_EQ(audit_annotations_for(policy, decision, core::Action::Deploy),
            (AuditAnnotations{{AuditKey::Action, "deploy"},
                              {AuditKey::Decision, "allowed-exception"},
                              {AuditKey::BypassedWindows, "weekend-freeze, quiet"},
                              {AuditKey::Exceptions, "payments-prod/inc-4711"}}));
}

TEST(Explanation, APolicysOwnExceptionSaysSoAndHasNoApprovers) {
  core::StaticException launch;
  launch.name = "launch-hotfix";
  launch.reason = "INC-4711";
  launch.environments = {"payments-prod"};
  launch.scope.windows = {"weekend-freeze"};
  launch.scope.users = {"alice"};
  launch.scope.from = utc("2026-12-05T17:00:00Z");
  launch.scope.until = utc("2026-12-05T21:00:00Z");
  const core::Policy policy(
      {testing::make_window({.name = "weekend-freeze",
                             .recurrences = {core::Once{testing::local(2026, 12, 5), testing::local(2026, 12, 7)}}})},
      {core::Binding{{0}, {"payments-prod"}, {}, std::nullopt}}, core::Settings{}, {launch});
  const std::vector<std::string_view> no_groups;
  core::DecisionInput input;
  input.subject = core::Subject{"payments-prod", "checkout", {}, false};
  input.requester = core::Requester{"alice", no_groups};
  input.at = utc("2026-12-05T18:00:00Z");
  EXPECT_EQ(
      explain(policy, core::decide(policy, input), {"deploy", classified("Deployment", "payments-prod"), "checkout"}),
      "deploy of Deployment payments-prod/checkout is allowed under the policy's exception \"launch-hotfix\" "
      "until Sat 2026-12-05 21:00 UTC (reason: INC-4711).");
}

// A name kubectl accepts for a new ImageApproval: the tag, also where a
// digest stands beside it, else the digest's start.
// A window that exceptions may lift ends its denial with the ready request:
// this environment, this application, this action, an hour at most.
TEST(Explanation, ADenialByAWindowThatAllowsExceptionsGivesTheBreakGlassRequest) {
  core::Window window = testing::make_window({"Change_Freeze",
                                              core::WindowType::Blackout,
                                              {core::Once{testing::local(2020, 1, 1), testing::local(2040, 1, 1)}}});
  window.message.clear();
  window.exceptions = core::ExceptionRule{};
  core::Window brief = window;
  brief.name = "brief";
  brief.exceptions->max_duration = core::minutes{30};
  const std::vector<std::string_view> no_groups;
  core::DecisionInput input;
  input.subject = core::Subject{"team-a", "checkout", {}, false};
  input.requester = core::Requester{"carol@example.com", no_groups};
  input.at = utc("2024-05-08T12:00:00Z");
  Classification checkout = kApi;
  checkout.application = "checkout";
  const core::Policy policy({window}, {core::Binding{{0}, {"*"}, {}, std::nullopt}}, core::Settings{});
  EXPECT_EQ(explain(policy, core::decide(policy, input), {"restart", checkout, "checkout"}),
            "restart of Deployment team-a/checkout is blocked by blackout window \"Change_Freeze\", active Wed "
            "2020-01-01 00:00 UTC until Sun 2040-01-01 00:00 UTC (UTC). The block has no end within the next 3660 "
            "days. Nobody is exempt. To lift it for this change, ask for an exception: windowguard "
            "exception request checkout-change-freeze -n team-a --windows Change_Freeze --applications checkout "
            "--actions restart --for 1h --reason \"...\"");
  const core::Policy brief_policy({brief}, {core::Binding{{0}, {"*"}, {}, std::nullopt}}, core::Settings{});
  EXPECT_NE(explain(brief_policy, core::decide(brief_policy, input), {"deploy", kApi, "api"})
                .find("exception request team-a-brief -n team-a --windows brief --actions deploy --for 30m"),
            std::string::npos)
      << "no application: named after the environment";
}

TEST(Explanation, ASuggestedRequestNameNamesTheTagElseTheDigest) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(suggested_request_name("checkout", "registry.example.com/payments/checkout:2.3.1"), "checkout-2-3-1");
  EXPECT_EQ(suggested_request_name("checkout", "registry.example.com/payments/checkout:2.3.1@" + digest),
            "checkout-2-3-1");
  EXPECT_EQ(suggested_request_name("checkout", "registry.example.com/payments/checkout@" + digest),
            "checkout-aaaaaaaaaaaa");
  EXPECT_EQ(suggested_request_name("", "registry.example.com:5000/nginx"), "nginx-latest");
}

struct WordedReason {
  core::UnapprovedReason reason;
  std::string request;  // the closest ImageApproval, "" when none
  std::string words;
};

class UnapprovedImageWords : public ::testing::TestWithParam<WordedReason> {};

// Each reason core/images gives for an unapproved image is one sentence
// here, after the image and its rule.
TEST_P(UnapprovedImageWords, EachReasonIsOneSentence) {
  Classification checkout = classified("Deployment", "prod-payments");
  checkout.application = "checkout";
  core::ImageVerdict verdict;
  verdict.governed = true;
  verdict.unapproved.push_back({"checkout:2.3.1", "prod-release", GetParam().request, 1, 2, GetParam().reason});
  const std::string text = explain_image_reasons(verdict, {"deploy", checkout, "checkout"});
  const std::string sentence =
      "Image checkout:2.3.1 needs an approval under approvals rule \"prod-release\": " + GetParam().words;
  EXPECT_TRUE(text.starts_with(sentence)) << text;
  EXPECT_TRUE(text.size() == sentence.size() || text[sentence.size()] == ' ') << text;
}

INSTANTIATE_TEST_SUITE_P(
    Reasons, UnapprovedImageWords,
    ::testing::Values(
        WordedReason{core::image_reasons::NoClusterAccess{}, "",
                     "windowguard cannot read ImageApprovals (no cluster access)."},
        WordedReason{core::image_reasons::UnreadableImage{"image \"Checkout\" must be lowercase"}, "",
                     "image \"Checkout\" must be lowercase."},
        WordedReason{core::image_reasons::NoRequestNamesIt{}, "",
                     "no ImageApproval of checkout in prod-payments names it."},
        WordedReason{core::image_reasons::NotAPromotion{{"*-staging", "qa"}}, "prod-payments/checkout-2-3-1",
                     "ImageApproval prod-payments/checkout-2-3-1 is not a promotion from an environment matching "
                     "[*-staging, qa]."},
        WordedReason{core::image_reasons::TooFewApprovals{}, "prod-payments/checkout-2-3-1",
                     "ImageApproval prod-payments/checkout-2-3-1 has 1 of 2 approvals."},
        WordedReason{core::image_reasons::ApprovedByDeployer{"bob"}, "prod-payments/checkout-2-3-1",
                     "ImageApproval prod-payments/checkout-2-3-1 was approved by bob, and an approver may not deploy "
                     "what they approved."}));

TEST(Explanation, AnImageWithoutAnApplicationSaysThisApplication) {
  core::ImageVerdict verdict;
  verdict.governed = true;
  verdict.unapproved.push_back({"nginx:1.26", "prod-release", "", 0, 1, core::image_reasons::NoRequestNamesIt{}});
  EXPECT_EQ(explain_image_reasons(verdict, {"deploy", kApi, "api"}),
            "Image nginx:1.26 needs an approval under approvals rule \"prod-release\": no ImageApproval of this "
            "application in team-a names it. Request one with: windowguard image request nginx-1-26 -n team-a "
            "--image nginx:1.26.");
}

TEST(Explanation, ARefusedImageNamesTheConditionAndThePolicysMessage) {
  core::ImageCondition latest;
  latest.tag = "latest";
  core::ImageVerdict verdict;
  verdict.governed = true;
  verdict.refused.push_back(
      {"nginx:latest", "no-latest", core::image_reasons::MatchesFailCondition{latest}, "Pin a version"});
  verdict.refused.push_back({"docker.io/nginx:1.25", "ours", core::image_reasons::MatchesNoPassCondition{}, ""});
  verdict.refused.push_back(
      {"Nginx", "ours", core::image_reasons::UnreadableImage{"image \"Nginx\" must be lowercase."}, ""});
  EXPECT_EQ(explain_image_reasons(verdict, {"deploy", kApi, "api"}),
            "Image nginx:latest is refused by image policy \"no-latest\": it matches the fail condition {tag: "
            "latest}. Pin a version. Image docker.io/nginx:1.25 is refused by image policy \"ours\": it matches "
            "none of the pass conditions. Image Nginx is refused by image policy \"ours\": image \"Nginx\" must be "
            "lowercase.");
}

}  // namespace
}  // namespace windowguard::admission
