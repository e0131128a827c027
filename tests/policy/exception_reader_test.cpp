// Tests of webhook/policy/exception_reader.cpp.
// A window's exceptions block, and the policy's static exceptions.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "policy_test_support.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::policy {
namespace {

const MalformedCase kMalformed[] = {
    {"exception_rule_out_of_range",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    exceptions: {approvals: 7, maxDuration: 200h, approvers: {superAdmins: maybe}, requesters: {user: [a]}}
)yaml",
     {R"(p.yaml:8:29: window "a" exceptions approvals must be a whole number between 0 and 6)",
      R"(p.yaml:8:76: window "a" exceptions approvers.superAdmins must be true or false)",
      R"(p.yaml:8:45: window "a" exceptions maxDuration must be more than 0s and at most 168h (one week))",
      R"(p.yaml:8:97: unknown field "user" in window "a" exceptions requesters (did you mean "users"?); expected one of: superAdmins, users, groups)"}},
    {"static_exception_problems",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
exceptions:
  - name: hotfix
    reason: ""
    windows: [a, b]
    environments: [prod]
    from: 2026-12-05T18:00:00Z
    until: 2026-12-05T17:00:00
  - name: hotfix
    reason: INC-1 payments
    windows: [aa]
    environments: [prod]
    users: [alice]
    from: 2026-12-05T18:00:00Z
    until: 2026-12-05T19:00:00Z
)yaml",
     {R"(p.yaml:10:13: exception "hotfix" reason must be a non-empty text value, not an empty one)",
      R"(p.yaml:9:5: exception "hotfix" must name the users or groups who may act under it)",
      R"(p.yaml:14:12: exception "hotfix" until: "2026-12-05T17:00:00" is not an RFC 3339 instant; expected a form such as "2026-12-05T18:00:00Z" or "2026-12-05T19:00:00+01:00")",
      R"(p.yaml:11:18: exception refers to unknown window "b")",
      R"(p.yaml:17:15: exception refers to unknown window "aa" (did you mean "a"?))",
      R"(p.yaml:15:11: exception name "hotfix" is already used at p.yaml:9:11)"}},
};

INSTANTIATE_TEST_SUITE_P(ExceptionReader, MalformedPolicy, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyLoader, LoadsWindowExceptionRulesAndStaticExceptions) {
  const LoadResult result = load_policy({{"p.yaml", kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    exceptions:
      approvals: 2
      approvers: {superAdmins: false, users: [bob], groups: [sre-leads]}
      maxDuration: 2h
      allowRequesterToApprove: true
      requesters: {groups: [incident-commanders]}
  - name: b
    type: blackout
    durations:
      - daily: {from: "03:00", to: "04:00"}
exceptions:
  - name: launch-hotfix
    reason: INC-4711 card payments failing
    windows: [a]
    environments: [payments-prod]
    applications: [checkout]
    actions: [deploy]
    groups: [oncall]
    from: 2026-12-05T18:00:00Z
    until: 2026-12-05T23:00:00+01:00
)yaml"}});
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  const core::Policy& policy = *result->policy;
  ASSERT_TRUE(policy.windows()[0].exceptions.has_value());
  const core::ExceptionRule& rule = *policy.windows()[0].exceptions;
  EXPECT_EQ(rule.approvals, 2);
  EXPECT_FALSE(rule.approvers.super_admins);
  EXPECT_EQ(rule.approvers.users, std::vector<std::string>{"bob"});
  EXPECT_EQ(rule.approvers.groups, std::vector<std::string>{"sre-leads"});
  EXPECT_EQ(rule.max_duration, core::hours{2});
  EXPECT_TRUE(rule.allow_requester_to_approve);
  ASSERT_TRUE(rule.requesters.has_value());
  EXPECT_TRUE(rule.requesters->super_admins);
  EXPECT_EQ(rule.requesters->groups, std::vector<std::string>{"incident-commanders"});
  EXPECT_FALSE(policy.windows()[1].exceptions.has_value()) << "without the block, no exception lifts it";
  ASSERT_EQ(policy.static_exceptions().size(), 1U);
  const core::StaticException& entry = policy.static_exceptions()[0];
  EXPECT_EQ(entry.name, "launch-hotfix");
  EXPECT_EQ(entry.reason, "INC-4711 card payments failing");
  EXPECT_EQ(entry.environments, std::vector<std::string>{"payments-prod"});
  EXPECT_EQ(entry.scope.windows, std::vector<std::string>{"a"});
  EXPECT_EQ(entry.scope.applications, std::vector<std::string>{"checkout"});
  EXPECT_TRUE(entry.scope.actions.contains(core::Action::Deploy));
  EXPECT_FALSE(entry.scope.actions.contains(core::Action::Restart));
  EXPECT_EQ(entry.scope.groups, std::vector<std::string>{"oncall"});
  EXPECT_EQ(entry.scope.from, testing::utc("2026-12-05T18:00:00Z"));
  EXPECT_EQ(entry.scope.until, testing::utc("2026-12-05T22:00:00Z"));
}

TEST(PolicyLoader, AnExceptionsBlockHasTheDefaultsOfTheField) {
  const LoadResult result = load_policy({{"p.yaml", kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    exceptions: {}
)yaml"}});
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  const core::ExceptionRule& rule = *result->policy->windows()[0].exceptions;
  EXPECT_EQ(rule.approvals, 1);
  EXPECT_TRUE(rule.approvers.super_admins);
  EXPECT_EQ(rule.max_duration, core::hours{4});
  EXPECT_FALSE(rule.allow_requester_to_approve);
  EXPECT_FALSE(rule.requesters.has_value()) << "anyone RBAC lets create one";
}

}  // namespace
}  // namespace windowguard::policy
