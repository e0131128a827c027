// Tests of webhook/policy/window_reader.cpp.
// A window: its name, type, zone, validity, durations of every kind, exempt
// block, actions and message.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "core/exemption_index.hpp"
#include "policy_test_support.hpp"
#include "support/configured_workloads.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::policy {
namespace {

const MalformedCase kMalformed[] = {
    {"unknown_window_field",
     kWindowA + R"yaml(    tyoe: blackout
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:6:5: unknown field "tyoe" in a window (did you mean "type"?); expected one of: name, description, type, timeZone, validFrom, validUntil, durations, except, exempt, actions, message, exceptions)"}},
    {"missing_name",
     std::string(kHeader) + R"yaml(windows:
  - type: blackout
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:4:5: a window is missing the required field "name")"}},
    {"bad_name",
     std::string(kHeader) + R"yaml(windows:
  - name: Weekend Freeze
    type: blackout
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:4:11: window name "Weekend Freeze" must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)"}},
    {"unknown_type",
     std::string(kHeader) + R"yaml(windows:
  - name: a
    type: freeze
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:5:11: window "a" type "freeze" is unknown; expected blackout or maintenance)"}},
    {"unknown_zone",
     kWindowA + R"yaml(    timeZone: Europe/Atlantis
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:6:15: window "a" timeZone "Europe/Atlantis" is not a known IANA time zone; use a name such as "Europe/Berlin", "UTC" or an offset like "+05:30")"}},
    {"bad_offset",
     kWindowA + R"yaml(    timeZone: "+15:00"
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:6:15: window "a" timeZone: "+15:00" is not a UTC offset; expected +HH:MM or -HH:MM between -14:00 and +14:00)"}},
    {"bad_valid_from",
     kWindowA + R"yaml(    validFrom: 2024-13-01
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:6:16: window "a" validFrom: "2024-13-01" is not a real calendar date)"}},
    {"valid_until_before_from",
     kWindowA + R"yaml(    validFrom: 2024-06-01
    validUntil: 2024-05-31 23:00
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:7:17: window "a" validUntil must be after validFrom)"}},
    {"no_durations",
     kWindowA + R"yaml(    durations: []
)yaml",
     {R"(p.yaml:6:16: window "a" durations must be a non-empty list of durations (once, daily, weekly, weeklyRange, monthly, yearly, cron or calendar))"}},
    {"two_kinds",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
        weekly: {days: [Mon], from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:7:9: window "a" duration must have exactly one kind (once, daily, weekly, weeklyRange, monthly, yearly, cron or calendar), found 2)"}},
    {"unknown_kind",
     kWindowA + R"yaml(    durations:
      - hourly: {from: "01", to: "02"}
)yaml",
     {R"(p.yaml:7:9: unknown field "hourly" in window "a" duration; expected one of: once, daily, weekly, weeklyRange, monthly, yearly, cron, calendar)"}},
    {"from_equals_to",
     kWindowA + R"yaml(    durations:
      - daily: {from: "02:00", to: "02:00"}
)yaml",
     {R"(p.yaml:7:36: window "a" daily "to" equals "from" (02:00); an occurrence must have a length)"}},
    {"bad_clock",
     kWindowA + R"yaml(    durations:
      - daily: {from: "24:00", to: "02:00"}
)yaml",
     {R"(p.yaml:7:23: window "a" daily from: "24:00" is not a time of day; expected HH:MM between 00:00 and 23:59)"}},
    {"missing_to",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00"}
)yaml",
     {R"(p.yaml:7:16: window "a" daily is missing the required field "to")"}},
    {"bad_weekday",
     kWindowA + R"yaml(    durations:
      - weekly: {days: [Mon, Funday], from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:7:30: window "a" weekly days: "Funday" is not a day of the week; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)"}},
    {"weekly_no_days",
     kWindowA + R"yaml(    durations:
      - weekly: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:7:17: window "a" weekly is missing the required field "days")"}},
    {"weekly_range_no_time",
     kWindowA + R"yaml(    durations:
      - weeklyRange: {from: Sat, to: "Mon 00:00"}
)yaml",
     {R"(p.yaml:7:29: window "a" weeklyRange from: "Sat" is not a day and time; expected "Day HH:MM", e.g. "Sat 00:00")"}},
    {"monthly_day_32",
     kWindowA + R"yaml(    durations:
      - monthly: {from: "32 00:00", to: "1 06:00"}
)yaml",
     {R"(p.yaml:7:25: window "a" monthly from: day of the month "32" is out of range; use 1 to 31, or -1 (the last day) to -31 to count from the month's end)"}},
    {"monthly_day_0",
     kWindowA + R"yaml(    durations:
      - monthly: {from: "1 00:00", to: "0 06:00"}
)yaml",
     {R"(p.yaml:7:40: window "a" monthly to: day of the month "0" is out of range; use 1 to 31, or -1 (the last day) to -31 to count from the month's end)"}},
    {"yearly_feb_30",
     kWindowA + R"yaml(    durations:
      - yearly: {from: "Feb 30 00:00", to: "Mar 2 00:00"}
)yaml",
     {R"(p.yaml:7:24: window "a" yearly from: "Feb 30" is not a day of the year)"}},
    {"yearly_bad_month",
     kWindowA + R"yaml(    durations:
      - yearly: {from: "Dez 20 00:00", to: "Jan 2 00:00"}
)yaml",
     {R"(p.yaml:7:24: window "a" yearly from: "Dez" is not a month; expected Jan, Feb, ... Dec)"}},
    {"once_to_before_from",
     kWindowA + R"yaml(    durations:
      - once: {from: "2024-06-20 20:00", to: "2024-06-20T19:00"}
)yaml",
     {R"(p.yaml:7:46: window "a" once "to" must be after "from")"}},
    {"once_bad_date",
     kWindowA + R"yaml(    durations:
      - once: {from: "2024-06-20", to: "2024-06-21 19:00"}
)yaml",
     {R"(p.yaml:7:22: window "a" once from: "2024-06-20" is not a date and time; expected "YYYY-MM-DD HH:MM")"}},
    {"cron_bad_field",
     kWindowA + R"yaml(    durations:
      - cron: {schedule: "0 25 * * 5", duration: 58h}
)yaml",
     {R"(p.yaml:7:26: window "a" cron schedule "0 25 * * 5": hour value out of range in "25" (0-23))"}},
    {"cron_bad_duration",
     kWindowA + R"yaml(    durations:
      - cron: {schedule: "0 22 * * 5", duration: 2d}
)yaml",
     {R"(p.yaml:7:50: window "a" cron duration: "2d" is not a duration; expected a number with a unit h, m or s, combined like "1h30m")"}},
    {"cron_zero_duration",
     kWindowA + R"yaml(    durations:
      - cron: {schedule: "0 22 * * 5", duration: 0h0m}
)yaml",
     {R"(p.yaml:7:50: window "a" cron duration must be more than 0s and at most 8760h (one year))"}},
    {"cron_missing_duration",
     kWindowA + R"yaml(    durations:
      - cron: {schedule: "0 22 * * 5"}
)yaml",
     {R"(p.yaml:7:15: window "a" cron is missing the required field "duration")"}},
    {"exempt_unknown_field",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    exempt:
      user: [alice]
)yaml",
     {R"(p.yaml:9:7: unknown field "user" in window "a" exempt (did you mean "users"?); expected one of: superAdmins, users, groups)"}},
    {"exempt_users_not_list",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    exempt:
      users: alice
)yaml",
     {R"(p.yaml:9:14: window "a" exempt.users must be a list, not a single value)"}},
    {"super_admins_not_bool",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    exempt:
      superAdmins: yes
)yaml",
     {R"(p.yaml:9:20: window "a" exempt.superAdmins must be true or false)"}},
    {"unknown_action",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    actions: [deploy, rollout]
)yaml",
     {R"(p.yaml:8:23: window "a" action "rollout" is unknown; expected deploy, restart, delete, hibernate or unhibernate)"}},
    {"empty_actions",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    actions: []
)yaml",
     {R"(p.yaml:8:14: window "a" actions must not be an empty list)"}},
    {"message_not_text",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
    message: {text: hi}
)yaml",
     {R"(p.yaml:8:14: window "a" message must be a non-empty text value, not a mapping)"}},
};

INSTANTIATE_TEST_SUITE_P(WindowReader, MalformedPolicy, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyLoader, LoadsEveryFieldOfAWindowAndBinding) {
  const LoadResult result = load_policy({{"p.yaml", std::string(kHeader) + R"yaml(
settings:
  superAdminGroups: [platform-admins]
  appLabelKeys: [app]
  trustedRequesters: ["ci-*"]
  restartAnnotations: [example.com/restart]
  clusterName: prod-eu-1
  upcomingDays: {blackout: 30, maintenance: 7}
  warnBeforeMinutes: 15
  workloads:
    - {group: argoproj.io, version: v1alpha1, resource: rollouts, kind: Rollout, template: spec.template,
       replicas: spec.replicas, scale: true}
    - {group: example.com, version: v1, resource: batchruns, kind: BatchRun, template: spec.run.podTemplate}
windows:
  - name: every-kind
    description: All seven kinds
    type: maintenance
    timeZone: Asia/Kolkata
    validFrom: 2024-06-01
    validUntil: 2024-12-31
    durations:
      - once: {from: "2024-06-20 20:00", to: "2024-06-26T17:00"}
      - daily: {from: "00:00", to: "06:00"}
      - weekly: {days: [wed, SUNDAY], from: "02:00", to: "05:30"}
      - weeklyRange: {from: "Sat 00:00", to: "Mon 00:00"}
      - monthly: {from: "-1 22:30", to: "2 06:30"}
      - yearly: {from: "Dec 20 00:00", to: "Jan 2 00:00"}
      - cron: {schedule: "0 22 * * 5", duration: 1h30m}
    exempt:
      superAdmins: true
      users: [alice@example.com]
      groups: [sre-oncall]
    actions: [deploy, hibernate]
    message: Deploy at night.
bindings:
  - windows: [every-kind]
    environments: ["prod-*", payments]
    applications: [checkout]
    selector:
      matchLabels: {tier: frontend}
      matchExpressions:
        - {key: track, operator: NotIn, values: [canary]}
)yaml"}});
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  const core::Policy& policy = *result->policy;
  const core::Settings& settings = policy.settings();
  EXPECT_EQ(settings.super_admin_groups, std::vector<std::string>{"platform-admins"});
  EXPECT_EQ(settings.app_label_keys, std::vector<std::string>{"app"});
  EXPECT_EQ(settings.trusted_requesters, std::vector<std::string>{"ci-*"});
  // The policy adds to the built-in base; it does not replace it.
  EXPECT_TRUE(policy.exemptions().is_trusted("ci-deployer"));
  EXPECT_TRUE(policy.exemptions().is_trusted("system:serviceaccount:kube-system:job-controller"));
  ASSERT_EQ(settings.workloads.size(), 2U);
  EXPECT_EQ(settings.workloads[0], testing::argo_rollouts());
  EXPECT_EQ(settings.workloads[1], testing::batch_runs());
  EXPECT_EQ(settings.restart_annotations, std::vector<std::string>{"example.com/restart"});
  EXPECT_EQ(settings.cluster_name, "prod-eu-1");
  EXPECT_EQ(settings.upcoming_days.blackout, 30);
  EXPECT_EQ(settings.upcoming_days.maintenance, 7);
  EXPECT_EQ(settings.warn_before_minutes, 15);

  ASSERT_EQ(policy.windows().size(), 1U);
  const core::Window& window = policy.windows()[0];
  EXPECT_EQ(window.name, "every-kind");
  EXPECT_EQ(window.description, "All seven kinds");
  EXPECT_EQ(window.type, core::WindowType::Maintenance);
  EXPECT_EQ(window.schedule.zone().name(), "Asia/Kolkata");
  EXPECT_EQ(window.schedule.recurrences().size(), 7U);
  // validFrom 2024-06-01 00:00 IST; validUntil (a bare date) includes Dec 31.
  EXPECT_FALSE(window.schedule.valid_at(testing::utc("2024-05-31T18:29:59Z")));
  EXPECT_TRUE(window.schedule.valid_at(testing::utc("2024-05-31T18:30:00Z")));
  EXPECT_TRUE(window.schedule.valid_at(testing::utc("2024-12-31T18:29:59Z")));
  EXPECT_FALSE(window.schedule.valid_at(testing::utc("2024-12-31T18:30:00Z")));
  EXPECT_TRUE(window.exempt.super_admins);
  EXPECT_EQ(window.exempt.users, std::vector<std::string>{"alice@example.com"});
  EXPECT_EQ(window.exempt.groups, std::vector<std::string>{"sre-oncall"});
  EXPECT_TRUE(window.actions.contains(core::Action::Deploy));
  EXPECT_TRUE(window.actions.contains(core::Action::Hibernate));
  EXPECT_FALSE(window.actions.contains(core::Action::Restart));
  EXPECT_EQ(window.message, "Deploy at night.");
  const auto& weekly = std::get<core::Weekly>(window.schedule.recurrences()[2]);
  EXPECT_EQ(weekly.days.to_ulong(), 0b0001001UL);
  const auto& cron = std::get<core::Cron>(window.schedule.recurrences()[6]);
  EXPECT_EQ(cron.duration, core::minutes{90});

  ASSERT_EQ(policy.bindings().size(), 1U);
  const core::Binding& binding = policy.bindings()[0];
  EXPECT_EQ(binding.windows, std::vector<std::size_t>{0});
  EXPECT_EQ(binding.environments, (std::vector<std::string>{"prod-*", "payments"}));
  EXPECT_EQ(binding.applications, std::vector<std::string>{"checkout"});
  ASSERT_TRUE(binding.selector);
  EXPECT_EQ(binding.selector->match_labels.size(), 1U);
  ASSERT_EQ(binding.selector->match_expressions.size(), 1U);
  EXPECT_EQ(binding.selector->match_expressions[0].op, core::LabelRequirement::Operator::NotIn);
}

TEST(PolicyLoader, DefaultsWhenFieldsAreOmitted) {
  const LoadResult result = load_policy(
      {{"p.yaml", std::string(kHeader) + "windows:\n  - name: w\n    type: blackout\n"
                                         "    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n"}});
  ASSERT_TRUE(result.ok());
  const core::Window& window = result->policy->windows()[0];
  EXPECT_EQ(window.schedule.zone().name(), "UTC");
  EXPECT_TRUE(window.schedule.valid_at(testing::utc("1970-01-01T00:00:00Z")));
  for (core::Action action : core::kAllActions) {
    EXPECT_TRUE(window.actions.contains(action));
  }
  EXPECT_FALSE(window.exempt.super_admins);
  EXPECT_EQ(result->policy->settings().warn_before_minutes, 30);
  EXPECT_TRUE(result->policy->settings().trusted_requesters.empty());
  EXPECT_EQ(result->policy->settings().all_trusted_requesters(), core::Settings::builtin_trusted_requesters());
}

TEST(PolicyLoader, FixedOffsetZones) {
  const LoadResult result = load_policy(
      {{"p.yaml", std::string(kHeader) +
                      "windows:\n  - name: w\n    type: blackout\n    timeZone: \"-03:30\"\n"
                      "    durations:\n      - once: {from: \"2024-06-01 00:00\", to: \"2024-06-02 00:00\"}\n"}});
  ASSERT_TRUE(result.ok());
  const core::Schedule& schedule = result->policy->windows()[0].schedule;
  EXPECT_TRUE(schedule.occurrence_at(testing::utc("2024-06-01T03:30:00Z")));
  EXPECT_FALSE(schedule.occurrence_at(testing::utc("2024-06-01T03:29:59Z")));
}

}  // namespace
}  // namespace windowguard::policy
