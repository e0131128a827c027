#include "core/decision.hpp"

#include <gtest/gtest.h>

#include "support/policy_builder.hpp"

namespace windowguard::core {
namespace {

using testing::bind_everywhere;
using testing::clock;
using testing::local;
using testing::utc;
using testing::WindowSpec;

const std::vector<std::string_view> kNoGroups;

struct Request {
  const char* at;
  Action action = Action::Deploy;
  std::string_view user = "dev@example.com";
  const std::vector<std::string_view>& groups = kNoGroups;
};

Decision decide_at(const Policy& policy, const Request& request) {
  DecisionInput input;
  input.action = request.action;
  input.subject = Subject{"team-a", "api", {}, false};
  input.requester = Requester{request.user, request.groups};
  input.at = utc(request.at);
  return decide(policy, input);
}

std::string name_of(const Policy& policy, const std::optional<std::size_t>& window) {
  return window ? policy.windows()[*window].name : "none";
}

std::string utc_or_none(const std::optional<Instant>& instant) { return instant ? format_utc(*instant) : "none"; }

// 2024-05-04 is a Saturday.
const WindowSpec kWeekend{
    "weekend", WindowType::Blackout, {WeeklyRange{{date::Saturday, clock(0)}, {date::Monday, clock(0)}}}};
const WindowSpec kNights{"nights", WindowType::Maintenance, {Daily{clock(22), clock(6)}}};

TEST(Decide, NoBoundWindowsAllows) {
  const Policy policy({}, {}, Settings{});
  const Decision decision = decide_at(policy, {"2024-05-04T12:00:00Z"});
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::Unrestricted);
  EXPECT_TRUE(decision.windows.empty());
}

TEST(Decide, ActiveBlackoutDeniesUntilItEnds) {
  const Policy policy = bind_everywhere({kWeekend});
  const Decision decision = decide_at(policy, {"2024-05-04T12:00:00Z"});
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::BlockedByBlackout);
  EXPECT_EQ(name_of(policy, decision.deciding_window), "weekend");
  ASSERT_TRUE(decision.deciding_occurrence);
  EXPECT_EQ(format_utc(decision.deciding_occurrence->from), "2024-05-04T00:00:00Z");
  EXPECT_EQ(format_utc(decision.deciding_occurrence->to), "2024-05-06T00:00:00Z");
  EXPECT_EQ(utc_or_none(decision.blocked_until), "2024-05-06T00:00:00Z");
  ASSERT_EQ(decision.windows.size(), 1U);
  EXPECT_TRUE(decision.windows[0].active);
  EXPECT_FALSE(decision.windows[0].exempt);
}

TEST(Decide, InactiveBlackoutAllows) {
  const Policy policy = bind_everywhere({kWeekend});
  const Decision decision = decide_at(policy, {"2024-05-06T00:00:00Z"});
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::Unrestricted);
  ASSERT_EQ(decision.windows.size(), 1U);
  EXPECT_FALSE(decision.windows[0].active);
}

TEST(Decide, BlackoutHasPriorityOverAnActiveMaintenanceWindow) {
  const Policy policy = bind_everywhere({kNights, kWeekend});
  const Decision decision = decide_at(policy, {"2024-05-04T23:00:00Z"});
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::BlockedByBlackout);
  EXPECT_EQ(name_of(policy, decision.deciding_window), "weekend");
  // Monday 00:00 the blackout ends inside the nightly window, so that is when it lifts.
  EXPECT_EQ(utc_or_none(decision.blocked_until), "2024-05-06T00:00:00Z");
}

TEST(Decide, OutsideEveryMaintenanceWindowDeniesUntilTheNextOpens) {
  const Policy policy = bind_everywhere({kNights});
  const Decision decision = decide_at(policy, {"2024-05-07T12:00:00Z"});
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::OutsideMaintenance);
  EXPECT_EQ(name_of(policy, decision.deciding_window), "nights");
  EXPECT_EQ(utc_or_none(decision.blocked_until), "2024-05-07T22:00:00Z");
  ASSERT_TRUE(decision.deciding_occurrence);
  EXPECT_EQ(format_utc(decision.deciding_occurrence->to), "2024-05-08T06:00:00Z");
}

TEST(Decide, InsideAMaintenanceWindowAllows) {
  const Policy policy = bind_everywhere({kNights});
  const Decision decision = decide_at(policy, {"2024-05-07T23:00:00Z"});
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::InsideMaintenance);
}

TEST(Decide, OneActiveMaintenanceWindowOfSeveralIsEnough) {
  const Policy policy =
      bind_everywhere({kNights, WindowSpec{"lunch", WindowType::Maintenance, {Daily{clock(12), clock(13)}}}});
  EXPECT_TRUE(decide_at(policy, {"2024-05-07T12:30:00Z"}).allowed);
  const Decision outside = decide_at(policy, {"2024-05-07T14:00:00Z"});
  EXPECT_FALSE(outside.allowed);
  EXPECT_EQ(utc_or_none(outside.blocked_until), "2024-05-07T22:00:00Z");
}

TEST(Decide, ExemptUserPassesABlackoutAndItIsRecordedAsBypassed) {
  WindowSpec weekend = kWeekend;
  weekend.exempt.users = {"alice@example.com"};
  const Policy policy = bind_everywhere({weekend});
  const Decision decision = decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy, "alice@example.com"});
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::ExemptFromBlock);
  EXPECT_EQ(decision.bypassed, std::vector<std::size_t>{0});
  EXPECT_FALSE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy, "bob@example.com"}).allowed);
}

TEST(Decide, ExemptGroup) {
  WindowSpec weekend = kWeekend;
  weekend.exempt.groups = {"sre-oncall"};
  const Policy policy = bind_everywhere({weekend});
  const std::vector<std::string_view> oncall{"developers", "sre-oncall"};
  const std::vector<std::string_view> developers{"developers"};
  EXPECT_TRUE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy, "carol", oncall}).allowed);
  EXPECT_FALSE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy, "carol", developers}).allowed);
}

TEST(Decide, ExemptGroupAmongHundredsOfTheRequestersGroups) {
  WindowSpec weekend = kWeekend;
  weekend.exempt.groups = {"sre-oncall"};
  const Policy policy = bind_everywhere({weekend});
  std::vector<std::string> names;
  for (int i = 0; i < 300; ++i) {
    names.push_back("team-" + std::to_string(i));
  }
  std::vector<std::string_view> many(names.begin(), names.end());  // each is looked up
  EXPECT_FALSE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy, "carol", many}).allowed);
  many.insert(many.begin() + 150, "sre-oncall");
  EXPECT_TRUE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy, "carol", many}).allowed);
}

TEST(Decide, SuperAdminsAreExemptOnlyWhereTheWindowSaysSo) {
  const std::vector<std::string_view> masters{"system:masters"};
  WindowSpec exempting = kWeekend;
  exempting.exempt.super_admins = true;
  EXPECT_TRUE(
      decide_at(bind_everywhere({exempting}), {"2024-05-04T12:00:00Z", Action::Deploy, "admin", masters}).allowed);
  EXPECT_FALSE(
      decide_at(bind_everywhere({kWeekend}), {"2024-05-04T12:00:00Z", Action::Deploy, "admin", masters}).allowed);
  Settings settings;
  settings.super_admin_groups = {"platform-admins"};
  EXPECT_FALSE(
      decide_at(bind_everywhere({exempting}, settings), {"2024-05-04T12:00:00Z", Action::Deploy, "admin", masters})
          .allowed);
}

TEST(Decide, ExemptFromOneActiveBlackoutButNotAnother) {
  WindowSpec weekend = kWeekend;
  weekend.exempt.users = {"alice"};
  const WindowSpec saturday{"saturday", WindowType::Blackout, {Weekly{0b1000000, clock(10), clock(14)}}};
  const Policy policy = bind_everywhere({weekend, saturday});
  const Decision decision = decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy, "alice"});
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(name_of(policy, decision.deciding_window), "saturday");
  EXPECT_EQ(utc_or_none(decision.blocked_until), "2024-05-04T14:00:00Z");
  EXPECT_TRUE(decision.bypassed.empty());
}

TEST(Decide, ExemptFromOneMaintenanceWindowPassesOutsideAll) {
  WindowSpec nights = kNights;
  nights.exempt.users = {"oncall"};
  const Policy policy = bind_everywhere({nights});
  const Decision decision = decide_at(policy, {"2024-05-07T12:00:00Z", Action::Deploy, "oncall"});
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::ExemptFromBlock);
  EXPECT_EQ(decision.bypassed, std::vector<std::size_t>{0});
}

TEST(Decide, ActionsFilterLimitsWhatAWindowGoverns) {
  WindowSpec weekend = kWeekend;
  weekend.actions = ActionSet{};
  weekend.actions.add(Action::Deploy);
  const Policy policy = bind_everywhere({weekend});
  EXPECT_FALSE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy}).allowed);
  const Decision restart = decide_at(policy, {"2024-05-04T12:00:00Z", Action::Restart});
  EXPECT_TRUE(restart.allowed);
  EXPECT_TRUE(restart.windows.empty());
}

TEST(Decide, TrustedRequestersAreNeverGoverned) {
  const Policy policy = bind_everywhere({kWeekend});
  const Decision controller = decide_at(
      policy, {"2024-05-04T12:00:00Z", Action::Deploy, "system:serviceaccount:kube-system:replicaset-controller"});
  EXPECT_TRUE(controller.allowed);
  EXPECT_EQ(controller.verdict, Verdict::Trusted);
  EXPECT_TRUE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Restart, "system:node:worker-3"}).allowed);
  EXPECT_FALSE(decide_at(policy, {"2024-05-04T12:00:00Z", Action::Deploy,
                                  "system:serviceaccount:argocd:argocd-application-controller"})
                   .allowed);
}

TEST(Decide, BlockLiftsOnlyAfterChainedOccurrencesOfSeveralWindows) {
  // Weekend blackout until Monday 00:00, then a nightly blackout until 02:00,
  // then outside the 04:00-05:00 maintenance window until 04:00.
  const WindowSpec late{"late", WindowType::Blackout, {Daily{clock(22), clock(2)}}};
  const WindowSpec early{"early", WindowType::Maintenance, {Daily{clock(4), clock(5)}},
                         {},      ActionSet::all(),        local(2024, 5, 5, 12)};
  const Policy policy = bind_everywhere({kWeekend, late, early});
  const Decision decision = decide_at(policy, {"2024-05-04T12:00:00Z"});
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(name_of(policy, decision.deciding_window), "weekend");
  EXPECT_EQ(utc_or_none(decision.blocked_until), "2024-05-06T04:00:00Z");
}

TEST(Decide, MaintenanceWindowOutsideItsValidityImposesNothing) {
  WindowSpec nights = kNights;
  nights.valid_until = local(2024, 5, 1);
  const Policy policy = bind_everywhere({nights});
  const Decision decision = decide_at(policy, {"2024-05-07T12:00:00Z"});
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.verdict, Verdict::Unrestricted);
  EXPECT_TRUE(decision.windows.empty());
}

TEST(Decide, BlockWithNoEndInSightHasNoLiftTime) {
  const WindowSpec past{"past-only", WindowType::Maintenance, {Once{local(2020, 1, 1), local(2020, 1, 2)}}};
  const Decision decision = decide_at(bind_everywhere({past}), {"2024-05-07T12:00:00Z"});
  EXPECT_FALSE(decision.allowed);
  EXPECT_FALSE(decision.blocked_until);
  EXPECT_FALSE(decision.deciding_occurrence);
}

TEST(Decide, WarnsWhenABlockStartsWithinWarnBeforeMinutes) {
  const Policy policy = bind_everywhere({kWeekend});  // default warnBeforeMinutes: 30
  const Decision soon = decide_at(policy, {"2024-05-03T23:40:00Z"});
  EXPECT_TRUE(soon.allowed);
  ASSERT_TRUE(soon.upcoming);
  EXPECT_EQ(policy.windows()[soon.upcoming->window].name, "weekend");
  EXPECT_EQ(format_utc(soon.upcoming->starts), "2024-05-04T00:00:00Z");
  EXPECT_FALSE(decide_at(policy, {"2024-05-03T23:20:00Z"}).upcoming);
  // Exactly warnBeforeMinutes ahead is within them (as with a schedule memo).
  ASSERT_TRUE(decide_at(policy, {"2024-05-03T23:30:00Z"}).upcoming);
  EXPECT_FALSE(decide_at(policy, {"2024-05-03T23:29:59Z"}).upcoming);
}

TEST(Decide, WarnsWhenTheMaintenanceWindowClosesSoon) {
  const Policy policy = bind_everywhere({kNights});
  const Decision decision = decide_at(policy, {"2024-05-07T05:45:00Z"});
  EXPECT_TRUE(decision.allowed);
  ASSERT_TRUE(decision.upcoming);
  EXPECT_EQ(policy.windows()[decision.upcoming->window].name, "nights");
  EXPECT_EQ(format_utc(decision.upcoming->starts), "2024-05-07T06:00:00Z");
}

TEST(Decide, NoWarningForARequesterExemptFromTheComingBlock) {
  WindowSpec weekend = kWeekend;
  weekend.exempt.users = {"alice"};
  EXPECT_FALSE(decide_at(bind_everywhere({weekend}), {"2024-05-03T23:40:00Z", Action::Deploy, "alice"}).upcoming);
}

TEST(Decide, WarningsCanBeTurnedOff) {
  Settings settings;
  settings.warn_before_minutes = 0;
  EXPECT_FALSE(decide_at(bind_everywhere({kWeekend}, settings), {"2024-05-03T23:40:00Z"}).upcoming);
}

}  // namespace
}  // namespace windowguard::core
