#include "policy/policy_loader.hpp"
#include "support/build_paths.hpp"

#include "policy/policy_directory.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/exemption_index.hpp"
#include "core/time_text.hpp"
#include "support/configured_workloads.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::policy {
namespace {

using LoadResult = Result<LoadedPolicy, Problems>;

std::vector<std::string> errors_of(const LoadResult& result) {
  std::vector<std::string> shown;
  if (result) {
    return shown;
  }
  for (const Problem& error : result.error()) {
    shown.push_back(error.to_string());
  }
  return shown;
}

constexpr const char* kHeader = "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n";
// Lines 1-5 of most cases below: a document with one blackout window "a", so
// that a case's own text starts at line 6.
const std::string kWindowA = std::string(kHeader) + "windows:\n  - name: a\n    type: blackout\n";

// One malformed policy file ("p.yaml") and every error it must produce.
struct MalformedCase {
  const char* name;
  std::string yaml;
  std::vector<std::string> errors;
};

void PrintTo(const MalformedCase& row, std::ostream* out) { *out << row.name; }

class MalformedPolicy : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedPolicy, IsRejectedWithFileLineColumnAndAnActionableMessage) {
  const MalformedCase& row = GetParam();
  const LoadResult result = load_policy({{"p.yaml", row.yaml}});
  EXPECT_FALSE(result.ok()) << row.name;
  EXPECT_EQ(errors_of(result), row.errors) << row.name;
}

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
    {"unknown_window_field",
     kWindowA + R"yaml(    tyoe: blackout
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:6:5: unknown field "tyoe" in a window (did you mean "type"?); expected one of: name, description, type, timeZone, validFrom, validUntil, durations, except, exempt, actions, message, exceptions)"}},
    {"duplicate_key",
     kWindowA + R"yaml(    type: maintenance
    durations:
      - daily: {from: "01:00", to: "02:00"}
)yaml",
     {R"(p.yaml:6:5: field "type" is given twice in a window)"}},
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
    {"empty_applications",
     kWindowA + R"yaml(    durations:
      - daily: {from: "01:00", to: "02:00"}
bindings:
  - windows: [a]
    environments: [prod]
    applications: []
)yaml",
     {R"(p.yaml:11:19: binding applications must not be an empty list; omit it to match every application)"}},
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
    {"approvals_and_image_policy_problems",
     std::string(kHeader) + R"yaml(approvals:
  - name: prod release
    environments: []
    required: 7
    expireAfter: 0s
    allowBuilderToApprove: perhaps
    approvers: {groups: [], colour: red}
  - name: r2
    required: 1
  - name: r2
    environments: [prod]
    promotedFrom: staging
imagePolicies:
  - name: images
    environments: [prod]
  - name: images2
    environments: [prod]
    pass: []
    fail:
      - {}
      - {tag: latest, digest: sha}
      - {colour: red}
)yaml",
     {R"(p.yaml:4:11: approvals rule name "prod release" must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)",
      R"(p.yaml:5:19: approvals rule "prod release" environments must not be an empty list)",
      R"(p.yaml:6:15: approvals rule "prod release" required must be a whole number between 0 and 6)",
      R"(p.yaml:9:29: unknown field "colour" in approvals rule "prod release" approvers; expected one of: superAdmins, users, groups)",
      R"(p.yaml:7:18: approvals rule "prod release" expireAfter must be more than 0s)",
      R"(p.yaml:8:28: approvals rule "prod release" allowBuilderToApprove must be true or false)",
      R"(p.yaml:10:5: approvals rule "r2" is missing the required field "environments")",
      R"(p.yaml:14:19: approvals rule "r2" promotedFrom must be a list, not a single value)",
      R"(p.yaml:16:5: image policy "images" must give pass or fail conditions)",
      R"(p.yaml:20:11: image policy "images2" pass must be a non-empty list of conditions)",
      R"(p.yaml:22:9: image policy "images2" fail condition 1 must give at least one of image, registry, repository, tag or digest)",
      R"(p.yaml:23:31: image policy "images2" fail condition 2 digest "sha" must be present, absent, or a pattern of algorithm:hex such as "sha256:*")",
      R"(p.yaml:24:10: unknown field "colour" in image policy "images2" fail condition 3; expected one of: image, registry, repository, tag, digest)",
      R"(p.yaml:12:11: approvals rule name "r2" is already used at p.yaml:10:11)"}},
    {"windows_not_a_list",
     std::string(kHeader) + R"yaml(windows:
  name: a
)yaml",
     {R"(p.yaml:4:3: windows must be a list, not a mapping)"}},
};

INSTANTIATE_TEST_SUITE_P(EveryErrorClass, MalformedPolicy, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyLoader, ReportsEveryErrorOfEveryFileInOneRun) {
  const LoadResult result = load_policy(
      {{"a.yaml", std::string(kHeader) + "windows:\n  - name: x\n    type: blackout\n    timeZone: Mars/Olympus\n"
                                         "    durations:\n      - daily: {from: \"25:00\", to: \"02:00\"}\n"},
       {"b.yaml", std::string(kHeader) + "bindings:\n  - windows: [y]\n    environments: [prod]\n"}});
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(
      errors_of(result),
      (std::vector<std::string>{
          R"(a.yaml:6:15: window "x" timeZone "Mars/Olympus" is not a known IANA time zone; use a name such as "Europe/Berlin", "UTC" or an offset like "+05:30")",
          R"(a.yaml:8:23: window "x" daily from: "25:00" is not a time of day; expected HH:MM between 00:00 and 23:59)",
          R"(b.yaml:4:15: binding refers to unknown window "y")"}));
}

TEST(PolicyLoader, DuplicateWindowNamesAcrossFilesNameTheFirstPlace) {
  const std::string window =
      "windows:\n  - name: freeze\n    type: blackout\n    durations:\n"
      "      - daily: {from: \"01:00\", to: \"02:00\"}\n";
  const LoadResult result =
      load_policy({{"a.yaml", std::string(kHeader) + window}, {"b.yaml", std::string(kHeader) + window}});
  EXPECT_EQ(
      errors_of(result),
      std::vector<std::string>{
          R"(b.yaml:4:11: window name "freeze" is already used at a.yaml:4:11; window names must be unique across the policy directory)"});
}

TEST(PolicyLoader, SettingsMayBeGivenOnceInTheWholeDirectory) {
  const std::string settings = "settings:\n  warnBeforeMinutes: 10\n";
  const LoadResult result =
      load_policy({{"a.yaml", std::string(kHeader) + settings}, {"b.yaml", std::string(kHeader) + settings}});
  EXPECT_EQ(errors_of(result),
            std::vector<std::string>{
                "b.yaml:4:3: settings are already given at a.yaml:4:3; a policy may have one settings block"});
}

TEST(PolicyLoader, ABindingToABrokenWindowReportsOnlyTheWindowsError) {
  const LoadResult result =
      load_policy({{"p.yaml", std::string(kHeader) + "windows:\n  - name: w\n    type: closed\n    durations:\n"
                                                     "      - daily: {from: \"01:00\", to: \"02:00\"}\n"
                                                     "bindings:\n  - windows: [w]\n    environments: [prod]\n"}});
  EXPECT_EQ(errors_of(result),
            std::vector<std::string>{
                R"(p.yaml:5:11: window "w" type "closed" is unknown; expected blackout or maintenance)"});
}

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

TEST(PolicyLoader, LoadsApprovalsRulesAndImagePoliciesWithTheirDefaults) {
  const LoadResult result = load_policy({{"p.yaml", std::string(kHeader) + R"yaml(approvals:
  - name: prod-release
    environments: ["prod-*"]
    applications: [checkout]
    required: 2
    promotedFrom: ["*-staging"]
    approvers: {superAdmins: false, users: [bob], groups: [release-managers]}
    expireAfter: 72h
    allowRequesterToApprove: true
    allowBuilderToApprove: true
    allowApproverToDeploy: true
  - name: defaults
    environments: [qa]
imagePolicies:
  - name: prod-images
    environments: ["prod-*"]
    pass:
      - {registry: registry.example.com, repository: "payments/*"}
    fail:
      - {tag: latest}
      - {digest: absent}
      - {image: "*:dev-*", digest: "sha256:*"}
      - {digest: present}
    message: Only release builds run in production.
)yaml"}});
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  const core::ImageRules& rules = result->policy->image_rules();
  ASSERT_EQ(rules.approvals.size(), 2U);
  const core::ApprovalRule& rule = rules.approvals[0];
  EXPECT_EQ(rule.name, "prod-release");
  EXPECT_EQ(rule.environments, std::vector<std::string>{"prod-*"});
  EXPECT_EQ(rule.applications, std::vector<std::string>{"checkout"});
  EXPECT_EQ(rule.required, 2);
  EXPECT_EQ(rule.promoted_from, std::vector<std::string>{"*-staging"});
  EXPECT_FALSE(rule.approvers.super_admins);
  EXPECT_EQ(rule.approvers.users, std::vector<std::string>{"bob"});
  EXPECT_EQ(rule.approvers.groups, std::vector<std::string>{"release-managers"});
  EXPECT_EQ(rule.expire_after, core::hours{72});
  EXPECT_TRUE(rule.allow_requester_to_approve);
  EXPECT_TRUE(rule.allow_builder_to_approve);
  EXPECT_TRUE(rule.allow_approver_to_deploy);
  const core::ApprovalRule& defaults = rules.approvals[1];
  EXPECT_EQ(defaults.required, 1);
  EXPECT_TRUE(defaults.applications.empty());
  EXPECT_TRUE(defaults.promoted_from.empty());
  EXPECT_TRUE(defaults.approvers.super_admins);
  EXPECT_FALSE(defaults.expire_after.has_value());
  EXPECT_FALSE(defaults.allow_requester_to_approve || defaults.allow_builder_to_approve ||
               defaults.allow_approver_to_deploy);
  ASSERT_EQ(rules.image_policies.size(), 1U);
  const core::ImagePolicy& images = rules.image_policies[0];
  EXPECT_EQ(images.message, "Only release builds run in production.");
  ASSERT_EQ(images.pass.size(), 1U);
  EXPECT_EQ(images.pass[0].describe(), "{registry: registry.example.com, repository: payments/*}");
  ASSERT_EQ(images.fail.size(), 4U);
  EXPECT_EQ(images.fail[0].describe(), "{tag: latest}");
  EXPECT_EQ(images.fail[1].digest, core::DigestCondition::Absent);
  EXPECT_EQ(images.fail[2].describe(), "{image: *:dev-*, digest: sha256:*}");
  EXPECT_EQ(images.fail[3].digest, core::DigestCondition::Present);
}

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

TEST(PolicyLoader, EmptyDocumentsAreSkipped) {
  const LoadResult result = load_policy({{"p.yaml", "---\n---\n" + std::string(kHeader) + "---\n"}});
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(errors_of(result).empty());
}

class PolicyDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("windowguard-loader-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(directory_ / name) << text; }

  std::filesystem::path directory_;
};

TEST_F(PolicyDirectory, MergesYamlAndYmlFilesAndSkipsHiddenAndOtherFiles) {
  write("a.yaml", std::string(kHeader) +
                      "windows:\n  - name: w\n    type: blackout\n    durations:\n"
                      "      - daily: {from: \"01:00\", to: \"02:00\"}\n");
  write("b.yml", std::string(kHeader) + "bindings:\n  - windows: [w]\n    environments: [prod]\n");
  write("README.md", "not a policy");
  write(".hidden.yaml", "this: [is not valid");
  std::filesystem::create_directories(directory_ / "..2024_06_01_00_00_00.1");
  write("..2024_06_01_00_00_00.1/a.yaml", "not: [valid");
  const LoadResult result = load_policy_directory(directory_);
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  EXPECT_EQ(result->policy->windows().size(), 1U);
  EXPECT_EQ(result->policy->bindings().size(), 1U);
}

TEST_F(PolicyDirectory, FollowsConfigMapSymlinks) {
  std::filesystem::create_directories(directory_ / "..2024_06_01_00_00_00.1");
  write("..2024_06_01_00_00_00.1/p.yaml", std::string(kHeader) +
                                              "windows:\n  - name: w\n    type: blackout\n"
                                              "    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n");
  std::filesystem::create_directory_symlink("..2024_06_01_00_00_00.1", directory_ / "..data");
  std::filesystem::create_symlink("..data/p.yaml", directory_ / "p.yaml");
  const LoadResult result = load_policy_directory(directory_);
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  EXPECT_EQ(result->policy->windows()[0].name, "w");
}

TEST_F(PolicyDirectory, ErrorsNameTheFileInsideTheDirectory) {
  write("p.yaml", std::string(kHeader) + "kindd: x\n");
  const LoadResult result = load_policy_directory(directory_);
  ASSERT_EQ(errors_of(result).size(), 1U);
  EXPECT_EQ(result.error()[0].where.file, (directory_ / "p.yaml").string());
  EXPECT_EQ(result.error()[0].where.line, 3);
  EXPECT_EQ(result.error()[0].where.column, 1);
}

TEST_F(PolicyDirectory, AnEmptyDirectoryIsAnError) {
  const LoadResult result = load_policy_directory(directory_);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(errors_of(result),
            std::vector<std::string>{directory_.string() + ": holds no policy files (*.yaml or *.yml)"});
}

TEST_F(PolicyDirectory, AMissingDirectoryIsAnError) {
  const LoadResult result = load_policy_directory(directory_ / "absent");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(errors_of(result), std::vector<std::string>{(directory_ / "absent").string() +
                                                        ": is not a readable directory of policy files"});
}

TEST(ExamplePolicies, AllPassLintAndCoverEveryDurationKindAndBothTypes) {
  const LoadResult result = load_policy_directory(std::filesystem::path(build_paths::source_dir) / "policies");
  ASSERT_TRUE(result.ok()) << errors_of(result).front();
  std::set<std::size_t> kinds;
  std::set<core::WindowType> types;
  for (const core::Window& window : result->policy->windows()) {
    types.insert(window.type);
    for (const core::Recurrence& recurrence : window.schedule.recurrences()) {
      kinds.insert(recurrence.index());
    }
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<core::Recurrence>);
  EXPECT_EQ(types.size(), 2U);
}

}  // namespace
}  // namespace windowguard::policy
