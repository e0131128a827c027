// Which writes to WindowException objects are accepted, one row per rule.
#include "core/exceptions/exception_writes.hpp"

#include <gtest/gtest.h>

#include "support/policy_builder.hpp"

namespace windowguard::core {
namespace {

using testing::make_window;
using testing::utc;
using testing::WindowSpec;

const Instant kNow = utc("2026-12-05T18:00:00Z");

// weekend-freeze: one approval from bob or sre-leads (or super admins), at
// most 4h; self-approval allowed on lenient-freeze; none on no-exceptions.
Policy freeze_policy() {
  const Once weekend{testing::local(2026, 12, 5), testing::local(2026, 12, 7)};
  std::vector<Window> windows;
  windows.push_back(make_window(
      WindowSpec{.name = "weekend-freeze",
                 .recurrences = {weekend},
                 .exceptions = ExceptionRule{1, People{true, {"bob"}, {"sre-leads"}}, hours{4}, false, std::nullopt}}));
  windows.push_back(make_window(
      WindowSpec{.name = "lenient-freeze",
                 .recurrences = {weekend},
                 .exceptions = ExceptionRule{1, People{false, {"alice"}, {}}, hours{1}, true, std::nullopt}}));
  windows.push_back(make_window(WindowSpec{.name = "no-exceptions", .recurrences = {weekend}}));
  windows.push_back(
      make_window(WindowSpec{.name = "incident-freeze",
                             .recurrences = {weekend},
                             .exceptions = ExceptionRule{1, People{true, {"bob"}, {}}, hours{4}, false,
                                                         People{true, {"carol"}, {"incident-commanders"}}}}));
  return Policy(std::move(windows), {}, Settings{});
}

WindowException request(std::vector<std::string> windows = {"weekend-freeze"}) {
  WindowException exception;
  exception.namespace_name = "payments-prod";
  exception.name = "inc-4711";
  exception.requested_by = "alice";
  exception.reason = "INC-4711: card payments failing";
  exception.scope.windows = std::move(windows);
  exception.scope.users = {"alice"};
  exception.scope.from = kNow;
  exception.scope.until = kNow + hours{2};
  return exception;
}

Approval approval(std::string user, Instant at = kNow, std::vector<std::string> groups = {}) {
  return Approval{std::move(user), at, std::move(groups)};
}

std::optional<std::string> create(const WindowException& exception, std::string_view user = "alice",
                                  std::span<const std::string_view> groups = {}) {
  ExceptionWrite write;
  write.kind = ExceptionWrite::Kind::Create;
  write.username = user;
  write.groups = groups;
  write.now = kNow;
  write.object = &exception;
  return refuse_exception_write(freeze_policy(), write);
}

std::optional<std::string> update_status(const WindowException& before, const WindowException& after,
                                         std::string_view user, std::span<const std::string_view> groups = {},
                                         bool by_windowguard = false) {
  ExceptionWrite write;
  write.kind = ExceptionWrite::Kind::UpdateStatus;
  write.username = user;
  write.groups = groups;
  write.now = kNow;
  write.object = &after;
  write.old_object = &before;
  write.by_windowguard = by_windowguard;
  return refuse_exception_write(freeze_policy(), write);
}

WindowException with_approvals(std::vector<Approval> approvals, std::vector<std::string> windows = {"weekend-freeze"}) {
  WindowException exception = request(std::move(windows));
  exception.approvals = std::move(approvals);
  return exception;
}

TEST(ExceptionRules, ACreateByItsRequesterForWindowsThatAllowItIsAccepted) {
  EXPECT_EQ(create(request()), std::nullopt);
}

TEST(ExceptionRules, EachFaultOfACreateIsRefusedWithItsReason) {
  EXPECT_EQ(create(request(), "mallory"),
            "spec.requestedBy \"alice\" must be you (\"mallory\"): an exception is requested by the person who "
            "creates it");
  EXPECT_EQ(create(request({"no-exceptions"})), "window \"no-exceptions\" does not allow exceptions");
  EXPECT_EQ(create(request({"weekend-freze"})),
            "window \"weekend-freze\" is not in the policy (did you mean \"weekend-freeze\"?)");
  EXPECT_EQ(create(request({"payroll-freeze"})), "window \"payroll-freeze\" is not in the policy");
  EXPECT_EQ(create(request({})), "spec.windows must name at least one window");
  WindowException too_long = request();
  too_long.scope.until = kNow + hours{4} + minutes{30};
  EXPECT_EQ(create(too_long),
            "spec.until - spec.from is 4h30m, longer than window \"weekend-freeze\" allows (maxDuration 4h)");
  WindowException past = request();
  past.scope.from = kNow - hours{2};
  past.scope.until = kNow;
  EXPECT_EQ(create(past), "spec.until 2026-12-05T18:00:00Z is not in the future");
  WindowException backwards = request();
  backwards.scope.from = kNow + hours{3};
  EXPECT_EQ(create(backwards), "spec.until must be after spec.from");
  WindowException terse = request();
  terse.reason = "hotfix";
  EXPECT_EQ(create(terse), "spec.reason must be 10 to 1024 characters: say why, for whoever approves and audits it");
  EXPECT_EQ(create(with_approvals({approval("bob")})),
            "a new exception must have no approvals: approvers add theirs to its status");
  // The shortest maxDuration of its windows applies.
  WindowException both = request({"weekend-freeze", "lenient-freeze"});
  EXPECT_EQ(create(both),
            "spec.until - spec.from is 2h, longer than window \"lenient-freeze\" allows (maxDuration 1h)");
}

TEST(ExceptionRules, AWindowsRequestersAloneMayRequestAnExceptionToIt) {
  const std::vector<std::string_view> commanders{"system:authenticated", "incident-commanders"};
  const std::vector<std::string_view> masters{"system:masters"};
  const std::vector<std::string_view> ci{"system:serviceaccounts", "system:authenticated"};
  EXPECT_EQ(create(request({"incident-freeze"}), "alice", commanders), std::nullopt);
  EXPECT_EQ(create(request({"incident-freeze"}), "alice", masters), std::nullopt) << "a super admin";
  WindowException by_carol = request({"incident-freeze"});
  by_carol.requested_by = "carol";
  EXPECT_EQ(create(by_carol, "carol"), std::nullopt) << "a named user";
  WindowException by_ci = request({"incident-freeze"});
  by_ci.requested_by = "system:serviceaccount:ci:deployer";
  EXPECT_EQ(create(by_ci, "system:serviceaccount:ci:deployer", ci),
            "you (\"system:serviceaccount:ci:deployer\") may not request exceptions to window \"incident-freeze\"; its "
            "requesters are members of system:masters, carol, members of incident-commanders");
  // Every window named must accept the requester.
  EXPECT_EQ(create(request({"weekend-freeze", "incident-freeze"}), "alice"),
            "you (\"alice\") may not request exceptions to window \"incident-freeze\"; its requesters are members of "
            "system:masters, carol, members of incident-commanders");
}

TEST(ExceptionRules, BroadPeopleAreNamedWithWhomTheyCover) {
  ExceptionScope scope;
  scope.users = {"alice", "*", "system:anonymous"};
  scope.groups = {"sre-oncall", "system:authenticated",  "system:serviceaccounts", "system:serviceaccounts:ci",
                  "*",          "system:unauthenticated"};
  EXPECT_EQ(broad_people(scope),
            (std::vector<std::string>{
                "user \"*\" (read as everyone)", "user \"system:anonymous\" (every anonymous request)",
                "group \"system:authenticated\" (every signed-in user)",
                "group \"system:serviceaccounts\" (every service account)",
                "group \"system:serviceaccounts:ci\" (every service account of namespace ci)",
                "group \"*\" (read as everyone)", "group \"system:unauthenticated\" (every anonymous request)"}));
  EXPECT_EQ(broad_request_warning(request().scope), std::nullopt) << "alice alone";
}

TEST(ExceptionRules, AnEligibleApproverAddsTheirOwnApproval) {
  const std::vector<std::string_view> sre_leads{"sre-leads"};
  const std::vector<std::string_view> masters{"system:masters"};
  EXPECT_EQ(update_status(request(), with_approvals({approval("bob")}), "bob"), std::nullopt);
  EXPECT_EQ(update_status(request(), with_approvals({approval("dana", kNow, {"sre-leads"})}), "dana", sre_leads),
            std::nullopt);
  EXPECT_EQ(update_status(request(), with_approvals({approval("root", kNow, {"system:masters"})}), "root", masters),
            std::nullopt);
  EXPECT_EQ(update_status(request(), with_approvals({approval("bob", kNow + minutes{4})}), "bob"), std::nullopt);
}

TEST(ExceptionRules, EachFaultOfAnApprovalIsRefusedWithItsReason) {
  const std::vector<std::string_view> developers{"developers"};
  EXPECT_EQ(update_status(request(), with_approvals({approval("alice")}), "alice"),
            "you requested this exception: window \"weekend-freeze\" needs the approval of someone else");
  EXPECT_EQ(update_status(request(), with_approvals({approval("mallory")}), "mallory", developers),
            "you (\"mallory\") may not approve exceptions to window \"weekend-freeze\"; its approvers are members of "
            "system:masters, bob, members of sre-leads");
  EXPECT_EQ(update_status(request(), with_approvals({approval("bob")}), "mallory"),
            "the approval is for \"bob\", but you are \"mallory\": only your own approval may be added");
  EXPECT_EQ(update_status(request(), with_approvals({approval("mallory", kNow, {"sre-leads"})}), "mallory", developers),
            "the approval names group \"sre-leads\", which you (\"mallory\") are not a member of");
  EXPECT_EQ(update_status(request(), with_approvals({approval("bob", kNow - minutes{6})}), "bob"),
            "the approval's at 2026-12-05T17:54:00Z is more than 5 minutes from now (2026-12-05T18:00:00Z): an "
            "approval is given now");
  EXPECT_EQ(update_status(with_approvals({approval("bob")}), with_approvals({approval("bob"), approval("bob")}), "bob"),
            "you (\"bob\") have approved this exception already");
  EXPECT_EQ(update_status(request(), with_approvals({approval("bob"), approval("carol")}), "bob"),
            "a status update must add or remove exactly one approval, your own");
  EXPECT_EQ(update_status(request(), request(), "bob"),
            "a status update must add or remove exactly one approval, your own");
  // A window that allows it lets the requester approve.
  EXPECT_EQ(
      update_status(request({"lenient-freeze"}), with_approvals({approval("alice")}, {"lenient-freeze"}), "alice"),
      std::nullopt);
}

// windowguard keeps status.approved and status.state; it can change no approval.
TEST(ExceptionRules, WindowguardsOwnStatusWritesLeaveTheApprovalsAlone) {
  const WindowException approved = with_approvals({approval("bob")});
  const std::string_view windowguard = "system:serviceaccount:windowguard:windowguard";
  EXPECT_EQ(update_status(approved, approved, windowguard, {}, true), std::nullopt);
  EXPECT_EQ(update_status(approved, request(), windowguard, {}, true),
            "windowguard keeps the approved and state fields; it never approves");
  EXPECT_EQ(update_status(approved, approved, windowguard, {}, false),
            "a status update must add or remove exactly one approval, your own");
}

TEST(ExceptionRules, OnlyTheApproverWithdrawsAnApproval) {
  const WindowException approved = with_approvals({approval("bob")});
  EXPECT_EQ(update_status(approved, request(), "bob"), std::nullopt);
  EXPECT_EQ(update_status(approved, request(), "alice"),
            "the approval removed is \"bob\"'s, but you are \"alice\": only your own approval may be withdrawn");
}

TEST(ExceptionRules, TheSpecNeverChangesAndItsRequesterMayCancelIt) {
  const WindowException exception = request();
  ExceptionWrite write;
  write.kind = ExceptionWrite::Kind::Update;
  write.username = "alice";
  write.now = kNow;
  write.object = &exception;
  write.old_object = &exception;
  EXPECT_EQ(refuse_exception_write(freeze_policy(), write), std::nullopt) << "a metadata change";
  write.spec_changed = true;
  EXPECT_EQ(refuse_exception_write(freeze_policy(), write),
            "the spec of an exception cannot change: cancel it and request a new one");
  write.kind = ExceptionWrite::Kind::UpdateStatus;
  EXPECT_EQ(refuse_exception_write(freeze_policy(), write),
            "the spec of an exception cannot change: cancel it and request a new one");
  write.kind = ExceptionWrite::Kind::Delete;
  write.object = nullptr;
  EXPECT_EQ(refuse_exception_write(freeze_policy(), write), std::nullopt);
}

}  // namespace
}  // namespace windowguard::core
