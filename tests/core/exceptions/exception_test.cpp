// Exceptions to windows: when a WindowException is in force (its approvals
// counted against the policy), and what an exception in force changes in a
// decision.  Fixed instants throughout.
#include <gtest/gtest.h>

#include "core/decision.hpp"
#include "core/decision_memo.hpp"
#include "core/exceptions/exception_standing.hpp"
#include "support/policy_builder.hpp"

namespace windowguard::core {
namespace {

using testing::make_window;
using testing::utc;
using testing::WindowSpec;

const Instant kFreezeStart = utc("2026-12-05T00:00:00Z");
const Instant kDuringFreeze = utc("2026-12-05T18:00:00Z");

ExceptionRule rule(int approvals, People approvers, bool allow_requester = false) {
  return ExceptionRule{approvals, std::move(approvers), hours{4}, allow_requester, std::nullopt};
}

// weekend-freeze (a blackout all of Dec 5-6) allows exceptions approved by one
// of sre-leads or bob; strict-freeze requires two; no-exceptions allows none.
Policy freeze_policy(std::vector<StaticException> static_exceptions = {}) {
  std::vector<Window> windows;
  const Once weekend{testing::local_of(kFreezeStart), testing::local_of(kFreezeStart + days{2})};
  windows.push_back(make_window(WindowSpec{.name = "weekend-freeze",
                                           .recurrences = {weekend},
                                           .exceptions = rule(1, People{true, {"bob"}, {"sre-leads"}})}));
  windows.push_back(make_window(WindowSpec{
      .name = "strict-freeze", .recurrences = {weekend}, .exceptions = rule(2, People{false, {"bob", "carol"}, {}})}));
  windows.push_back(make_window(WindowSpec{.name = "no-exceptions", .recurrences = {weekend}}));
  Settings settings;
  settings.warn_before_minutes = 30;
  return Policy(std::move(windows),
                {Binding{{0}, {"payments-prod"}, {}, std::nullopt}, Binding{{1}, {"ledger-prod"}, {}, std::nullopt},
                 Binding{{2}, {"core-prod"}, {}, std::nullopt}},
                settings, std::move(static_exceptions));
}

WindowException exception_of(std::vector<std::string> windows, std::vector<Approval> approvals,
                             std::string namespace_name = "payments-prod") {
  WindowException exception;
  exception.namespace_name = std::move(namespace_name);
  exception.name = "inc-4711";
  exception.requested_by = "alice";
  exception.reason = "INC-4711: card payments failing";
  exception.scope.windows = std::move(windows);
  exception.scope.users = {"alice"};
  exception.scope.from = utc("2026-12-05T17:00:00Z");
  exception.scope.until = utc("2026-12-05T21:00:00Z");
  exception.approvals = std::move(approvals);
  return exception;
}

Approval by(std::string user, std::vector<std::string> groups = {}) {
  return Approval{std::move(user), utc("2026-12-05T17:01:00Z"), std::move(groups)};
}

struct StandingRow {
  const char* name;
  std::vector<std::string> windows;
  std::vector<Approval> approvals;
  Instant now;
  ExceptionState state;
  int counted;
  int required;
};

class ExceptionStandingTest : public ::testing::TestWithParam<StandingRow> {};

TEST_P(ExceptionStandingTest, CountsEligibleApprovalsAgainstThePolicy) {
  const StandingRow& row = GetParam();
  const Policy policy = freeze_policy();
  const ExceptionStanding standing = standing_of(policy, exception_of(row.windows, row.approvals), row.now);
  EXPECT_EQ(exception_state_name(standing.state), exception_state_name(row.state));
  EXPECT_EQ(standing.approvals, row.counted);
  EXPECT_EQ(standing.required, row.required);
}

const Instant kBeforeFrom = utc("2026-12-05T16:00:00Z");
const Instant kAtUntil = utc("2026-12-05T21:00:00Z");

INSTANTIATE_TEST_SUITE_P(
    Rows, ExceptionStandingTest,
    ::testing::Values(
        StandingRow{"no_approval_is_pending", {"weekend-freeze"}, {}, kDuringFreeze, ExceptionState::Pending, 0, 1},
        StandingRow{"named_approver", {"weekend-freeze"}, {by("bob")}, kDuringFreeze, ExceptionState::InForce, 1, 1},
        StandingRow{"group_approver",
                    {"weekend-freeze"},
                    {by("dana", {"sre-leads"})},
                    kDuringFreeze,
                    ExceptionState::InForce,
                    1,
                    1},
        StandingRow{"super_admin_approver",
                    {"weekend-freeze"},
                    {by("root", {"system:masters"})},
                    kDuringFreeze,
                    ExceptionState::InForce,
                    1,
                    1},
        StandingRow{"self_approval_does_not_count",
                    {"weekend-freeze"},
                    {by("alice", {"sre-leads"})},
                    kDuringFreeze,
                    ExceptionState::Pending,
                    0,
                    1},
        StandingRow{"a_non_approver_does_not_count",
                    {"weekend-freeze"},
                    {by("mallory", {"developers"})},
                    kDuringFreeze,
                    ExceptionState::Pending,
                    0,
                    1},
        StandingRow{"one_person_counts_once",
                    {"strict-freeze"},
                    {by("bob"), by("bob")},
                    kDuringFreeze,
                    ExceptionState::Pending,
                    1,
                    2},
        StandingRow{
            "two_people", {"strict-freeze"}, {by("bob"), by("carol")}, kDuringFreeze, ExceptionState::InForce, 2, 2},
        // The largest requirement applies, and an approval counts only if
        // its approver is eligible under every window's rule.
        StandingRow{"the_strictest_window_rules",
                    {"weekend-freeze", "strict-freeze"},
                    {by("bob"), by("dana", {"sre-leads"})},
                    kDuringFreeze,
                    ExceptionState::Pending,
                    1,
                    2},
        StandingRow{"approved_before_from_is_scheduled",
                    {"weekend-freeze"},
                    {by("bob")},
                    kBeforeFrom,
                    ExceptionState::Scheduled,
                    1,
                    1},
        StandingRow{
            "at_until_it_has_expired", {"weekend-freeze"}, {by("bob")}, kAtUntil, ExceptionState::Expired, 1, 1},
        StandingRow{"a_window_without_exceptions",
                    {"weekend-freeze", "no-exceptions"},
                    {by("bob")},
                    kDuringFreeze,
                    ExceptionState::Unusable,
                    1,
                    1},
        StandingRow{"a_window_that_is_gone",
                    {"weekend-freeze", "renamed"},
                    {by("bob")},
                    kDuringFreeze,
                    ExceptionState::Unusable,
                    1,
                    1}),
    [](const ::testing::TestParamInfo<StandingRow>& info) { return std::string(info.param.name); });

TEST(ExceptionStanding, SaysWhichWindowMakesItUnusable) {
  const Policy policy = freeze_policy();
  EXPECT_EQ(standing_of(policy, exception_of({"no-exceptions"}, {by("bob")}), kDuringFreeze).problem,
            "window \"no-exceptions\" does not allow exceptions");
  EXPECT_EQ(standing_of(policy, exception_of({"renamed"}, {}), kDuringFreeze).problem,
            "window \"renamed\" is not in the policy");
}

TEST(ExceptionStanding, SaysWhoMayApproveIt) {
  const Policy policy = freeze_policy();
  EXPECT_EQ(standing_of(policy, exception_of({"weekend-freeze"}, {}), kDuringFreeze).eligible,
            "members of system:masters, bob, members of sre-leads");
  EXPECT_EQ(standing_of(policy, exception_of({"weekend-freeze", "strict-freeze"}, {}), kDuringFreeze).eligible,
            "weekend-freeze: members of system:masters, bob, members of sre-leads; strict-freeze: bob, carol (an "
            "approval counts when it is by one of each)");
  EXPECT_EQ(standing_of(policy, exception_of({"no-exceptions"}, {}), kDuringFreeze).eligible, "nobody");
}

TEST(ExceptionStanding, ARequesterMayApproveOnlyWhereTheRuleAllowsIt) {
  const Policy policy = freeze_policy();
  const ExceptionRule strict = rule(1, People{false, {"alice"}, {}});
  const ExceptionRule lenient = rule(1, People{false, {"alice"}, {}}, true);
  const std::vector<std::string> no_groups;
  EXPECT_FALSE(may_approve(policy, strict, "alice", no_groups, "alice"));
  EXPECT_TRUE(may_approve(policy, lenient, "alice", no_groups, "alice"));
  EXPECT_TRUE(may_approve(policy, strict, "alice", no_groups, "erin"));
}

DecisionInput deploy_by(std::string_view user, std::span<const std::string_view> groups, Instant at,
                        const ExceptionBook* book, std::string_view environment = "payments-prod",
                        std::string_view application = "checkout") {
  DecisionInput input;
  input.action = Action::Deploy;
  input.subject.environment = environment;
  input.subject.application = application;
  input.requester = Requester{user, groups};
  input.at = at;
  input.exceptions = book;
  return input;
}

const std::vector<std::string_view> kNoGroups;

TEST(ExceptionDecision, AnApprovedExceptionLetsItsUserThroughItsWindow) {
  const Policy policy = freeze_policy();
  const ExceptionBook book({exception_of({"weekend-freeze"}, {by("bob")})});
  const Decision decision = decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &book));
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::ExemptFromBlock);
  ASSERT_EQ(decision.exceptions.size(), 1U);
  EXPECT_EQ(decision.exceptions[0].label, "payments-prod/inc-4711");
  EXPECT_EQ(decision.exceptions[0].reason, "INC-4711: card payments failing");
  EXPECT_EQ(decision.exceptions[0].approvers, std::vector<std::string>{"bob"});
  EXPECT_EQ(decision.exceptions[0].until, kAtUntil);
  EXPECT_FALSE(decision.exceptions[0].from_policy);
  EXPECT_LE(decision.holds_until, kAtUntil);
}

TEST(ExceptionDecision, NothingButAnExceptionInForceForTheRequestLiftsTheWindow) {
  const Policy policy = freeze_policy();
  const ExceptionBook pending({exception_of({"weekend-freeze"}, {})});
  const ExceptionBook approved({exception_of({"weekend-freeze"}, {by("bob")})});
  const std::vector<std::string_view> oncall{"oncall"};
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &pending)).allowed);
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, nullptr)).allowed);
  EXPECT_FALSE(decide(policy, deploy_by("erin", oncall, kDuringFreeze, &approved)).allowed) << "not its user";
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kAtUntil, &approved)).allowed) << "at its until";
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kBeforeFrom, &approved)).allowed) << "before its from";

  WindowException for_ledger = exception_of({"weekend-freeze"}, {by("bob")});
  for_ledger.scope.applications = {"ledger"};
  const ExceptionBook other_application({for_ledger});
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &other_application)).allowed);
  EXPECT_TRUE(
      decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &other_application, "payments-prod", "ledger"))
          .allowed);

  WindowException restarts_only = exception_of({"weekend-freeze"}, {by("bob")});
  restarts_only.scope.actions = ActionSet();
  restarts_only.scope.actions.add(Action::Restart);
  const ExceptionBook other_action({restarts_only});
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &other_action)).allowed);

  const ExceptionBook other_namespace({exception_of({"weekend-freeze"}, {by("bob")}, "payments-staging")});
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &other_namespace)).allowed);
}

TEST(ExceptionDecision, AGroupNamedByTheExceptionActsUnderIt) {
  const Policy policy = freeze_policy();
  WindowException for_oncall = exception_of({"weekend-freeze"}, {by("bob")});
  for_oncall.scope.users.clear();
  for_oncall.scope.groups = {"oncall"};
  const ExceptionBook book({for_oncall});
  const std::vector<std::string_view> oncall{"developers", "oncall"};
  EXPECT_TRUE(decide(policy, deploy_by("erin", oncall, kDuringFreeze, &book)).allowed);
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &book)).allowed);
}

TEST(ExceptionDecision, AnExceptionLiftsOnlyItsWindows) {
  // payments-prod gets a second blackout the exception does not name.
  std::vector<Window> windows;
  const Once weekend{testing::local_of(kFreezeStart), testing::local_of(kFreezeStart + days{2})};
  windows.push_back(make_window(WindowSpec{
      .name = "weekend-freeze", .recurrences = {weekend}, .exceptions = rule(1, People{true, {"bob"}, {}})}));
  windows.push_back(make_window(WindowSpec{.name = "quarter-close", .recurrences = {weekend}}));
  const Policy policy(std::move(windows), {Binding{{0, 1}, {"payments-prod"}, {}, std::nullopt}}, Settings{});
  const ExceptionBook book({exception_of({"weekend-freeze"}, {by("bob")})});
  const Decision decision = decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &book));
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.deciding_window, std::optional<std::size_t>(1));
}

TEST(ExceptionDecision, ADecisionHoldsNoLongerThanAnExceptionThatAppliesStartsOrEnds) {
  const Policy policy = freeze_policy();
  const ExceptionBook book({exception_of({"weekend-freeze"}, {by("bob")})});
  // Blocked before the exception's from: the block holds until it starts.
  const Decision before = decide(policy, deploy_by("alice", kNoGroups, kBeforeFrom, &book));
  EXPECT_FALSE(before.allowed);
  EXPECT_EQ(before.holds_until, utc("2026-12-05T17:00:00Z"));
  // Allowed under it: warned 30 minutes before it ends, while the freeze goes on.
  const Decision early = decide(policy, deploy_by("alice", kNoGroups, utc("2026-12-05T18:00:00Z"), &book));
  EXPECT_EQ(early.holds_until, utc("2026-12-05T20:30:00Z"));
  EXPECT_FALSE(early.upcoming.has_value());
  const Decision late = decide(policy, deploy_by("alice", kNoGroups, utc("2026-12-05T20:45:00Z"), &book));
  EXPECT_TRUE(late.allowed);
  ASSERT_TRUE(late.upcoming.has_value());
  EXPECT_EQ(late.upcoming->starts, kAtUntil);
  EXPECT_EQ(late.upcoming->window, 0U);
  EXPECT_LE(late.holds_until, kAtUntil);
}

TEST(ExceptionDecision, AStaticExceptionActsFromItsFromToItsUntilWithoutApprovals) {
  StaticException launch;
  launch.name = "launch-hotfix";
  launch.reason = "INC-4711 card payments failing";
  launch.environments = {"payments-*"};
  launch.scope.windows = {"weekend-freeze"};
  launch.scope.users = {"alice"};
  launch.scope.from = utc("2026-12-05T17:00:00Z");
  launch.scope.until = kAtUntil;
  const Policy policy = freeze_policy({launch});
  const Decision decision = decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, nullptr));
  EXPECT_TRUE(decision.allowed);
  ASSERT_EQ(decision.exceptions.size(), 1U);
  EXPECT_EQ(decision.exceptions[0].label, "launch-hotfix");
  EXPECT_TRUE(decision.exceptions[0].from_policy);
  EXPECT_TRUE(decision.exceptions[0].approvers.empty());
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kAtUntil, nullptr)).allowed);
  EXPECT_FALSE(decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, nullptr, "ledger-prod")).allowed);
}

TEST(ExceptionDecision, AnExemptRequesterIsNotSaidToPassByAnException) {
  std::vector<Window> windows;
  const Once weekend{testing::local_of(kFreezeStart), testing::local_of(kFreezeStart + days{2})};
  windows.push_back(make_window(WindowSpec{.name = "weekend-freeze",
                                           .recurrences = {weekend},
                                           .exempt = People{false, {"alice"}, {}},
                                           .exceptions = rule(1, People{true, {"bob"}, {}})}));
  const Policy policy(std::move(windows), {Binding{{0}, {"payments-prod"}, {}, std::nullopt}}, Settings{});
  const ExceptionBook book({exception_of({"weekend-freeze"}, {by("bob")})});
  const Decision decision = decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &book));
  EXPECT_TRUE(decision.allowed);
  EXPECT_TRUE(decision.exceptions.empty());
}

TEST(ExceptionDecision, TheMemoNeverServesADecisionMadeWithAnotherBook) {
  const Policy policy = freeze_policy();
  DecisionMemo memo;
  const ExceptionBook pending({exception_of({"weekend-freeze"}, {})});
  EXPECT_FALSE(memo.decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &pending))->allowed);
  const ExceptionBook approved({exception_of({"weekend-freeze"}, {by("bob")})});
  EXPECT_TRUE(memo.decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &approved))->allowed);
  const ExceptionBook withdrawn({exception_of({"weekend-freeze"}, {})});
  EXPECT_FALSE(memo.decide(policy, deploy_by("alice", kNoGroups, kDuringFreeze, &withdrawn))->allowed);
  // And an exception stops counting at its until, whatever the memo holds.
  EXPECT_TRUE(memo.decide(policy, deploy_by("alice", kNoGroups, kAtUntil - seconds{1}, &approved))->allowed);
  EXPECT_FALSE(memo.decide(policy, deploy_by("alice", kNoGroups, kAtUntil, &approved))->allowed);
}

TEST(ExceptionBook, FindsEachNamespacesExceptions) {
  const ExceptionBook book(
      {exception_of({"a"}, {}, "ns-b"), exception_of({"b"}, {}, "ns-a"), exception_of({"c"}, {}, "ns-b")});
  EXPECT_EQ(book.in_namespace("ns-a").size(), 1U);
  EXPECT_EQ(book.in_namespace("ns-b").size(), 2U);
  EXPECT_TRUE(book.in_namespace("ns-c").empty());
  EXPECT_NE(book.identity(), ExceptionBook().identity());
}

}  // namespace
}  // namespace windowguard::core
