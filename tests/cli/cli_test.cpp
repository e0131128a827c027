#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "support/build_paths.hpp"

namespace windowguard::cli {
namespace {

const std::string kPolicies = std::string(build_paths::source_dir) + "/policies";

struct VerbRun {
  int code;
  std::string out;
  std::string err;
};

VerbRun run(int (*verb)(const Arguments&, std::ostream&, std::ostream&), Arguments arguments) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = verb(arguments, out, err);
  return {code, out.str(), err.str()};
}

// The summary counts what a policy holds beside its windows.
TEST(Lint, TheSummaryCountsApprovalsRulesImagePoliciesAndExceptions) {
  const std::string directory = ::testing::TempDir() + "windowguard-lint-summary";
  std::filesystem::create_directories(directory);
  std::ofstream(directory + "/p.yaml")
      << "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n"
         "windows:\n  - name: w\n    type: blackout\n    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n"
         "bindings:\n  - windows: [w]\n    environments: [prod]\n"
         "approvals:\n  - name: release\n    environments: [prod]\n    approvers: {groups: [leads]}\n"
         "  - name: hotfix\n    environments: [prod]\n    approvers: {groups: [leads]}\n"
         "imagePolicies:\n  - name: no-latest\n    environments: [prod]\n    fail: [{tag: latest}]\n";
  const VerbRun result = run(run_lint, {directory, "--at", "2026-11-30T12:00:00Z"});
  std::filesystem::remove_all(directory);
  EXPECT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(
      result.out,
      directory + ": valid (1 window, 1 binding, 2 approvals rules, 1 image policy, 0 exceptions, 0 calendars)\n");
}

constexpr const char* kExamplesSummary =
    ": valid (8 windows, 7 bindings, 0 approvals rules, 0 image policies, 0 exceptions, 1 calendar)\n";

TEST(Lint, TheExamplePoliciesAreValid) {
  const VerbRun result = run(run_lint, {kPolicies, "--at", "2026-11-30T12:00:00Z"});
  EXPECT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(result.out, kPolicies + kExamplesSummary);
}

// The one test that reads the real clock: what a new user's first run
// prints, today.  The examples' dates lie far ahead, so that no window of
// theirs has passed and lint warns of nothing.
TEST(Lint, TheExamplePoliciesLintCleanAtTheRealClock) {
  const VerbRun result = run(run_lint, {kPolicies, "--strict"});
  EXPECT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out, kPolicies + kExamplesSummary);
}

TEST(Lint, ABrokenDirectoryExitsTwoWithEveryErrorLocated) {
  const auto directory = std::filesystem::temp_directory_path() / "windowguard-cli-lint";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "p.yaml") << "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n"
                                         "  - name: w\n    type: blackout\n    timeZone: Nowhere/City\n"
                                         "    durations:\n      - monthly: {from: \"32 00:00\", to: \"1 00:00\"}\n";
  const VerbRun result = run(run_lint, {directory.string()});
  std::filesystem::remove_all(directory);
  EXPECT_EQ(result.code, kExitUsage);
  const std::string file = (directory / "p.yaml").string();
  EXPECT_EQ(
      result.err,
      file +
          R"(:6:15: window "w" timeZone "Nowhere/City" is not a known IANA time zone; use a name such as "Europe/Berlin", "UTC" or an offset like "+05:30")"
          "\n" +
          file +
          R"(:8:25: window "w" monthly from: day of the month "32" is out of range; use 1 to 31, or -1 (the last day) to -31 to count from the month's end)"
          "\n" +
          directory.string() + ": policy rejected (2 errors)\n");
  EXPECT_EQ(result.out, "");
}

TEST(Lint, NeedsExactlyOneDirectory) {
  EXPECT_EQ(run(run_lint, {}).code, kExitUsage);
  EXPECT_EQ(run(run_lint, {"a", "b"}).code, kExitUsage);
  EXPECT_EQ(run(run_lint, {kPolicies, "--at", "yesterday"}).code, kExitUsage);
}

// One policy file in a fresh directory, linted at a fixed instant.
VerbRun lint_one_file(const std::string& name, const std::string& text, const std::vector<std::string>& flags = {}) {
  const auto directory = std::filesystem::temp_directory_path() / ("windowguard-cli-warn-" + name);
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "p.yaml") << text;
  Arguments arguments{directory.string(), "--at", "2026-12-01T12:00:00Z"};
  arguments.insert(arguments.end(), flags.begin(), flags.end());
  VerbRun result = run(run_lint, arguments);
  std::filesystem::remove_all(directory);
  // Locations are relative to the directory, so that rows can name them.
  for (std::string* text_of : {&result.out, &result.err}) {
    for (std::size_t at; (at = text_of->find(directory.string())) != std::string::npos;) {
      text_of->replace(at, directory.string().size(), "DIR");
    }
  }
  return result;
}

constexpr const char* kHeader = "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n";

struct WarningCase {
  const char* name;
  std::string policy;    // after kHeader
  std::string expected;  // standard error
};

void PrintTo(const WarningCase& row, std::ostream* out) { *out << row.name; }

class LintWarning : public ::testing::TestWithParam<WarningCase> {};

TEST_P(LintWarning, IsPrintedWithItsLocationAndExitsZero) {
  const WarningCase& row = GetParam();
  const VerbRun result = lint_one_file(row.name, kHeader + row.policy);
  EXPECT_EQ(result.code, kExitOk) << row.name;
  EXPECT_EQ(result.err, row.expected) << row.name;
  EXPECT_NE(result.out.find("warning"), std::string::npos) << row.name;
  const VerbRun strict = lint_one_file(row.name, kHeader + row.policy, {"--strict"});
  EXPECT_EQ(strict.code, kExitUsage) << row.name;
}

const WarningCase kWarningCases[] = {
    {"no-window", "", "DIR: warning: the policy has no window: it blocks nothing\n"},
    {"approvals-unreachable",
     "approvals:\n  - name: prod-release\n    environments: [prod]\n    required: 2\n"
     "    approvers: {superAdmins: false, users: [bob, bob]}\n",
     "DIR/p.yaml:4:11: warning: approvals rule \"prod-release\" requires 2 approvals but its approvers are 1 user and "
     "no groups: no image can ever be approved under it\n"},
    // A list from when trustedRequesters replaced the defaults.
    {"trusted-restated",
     "settings:\n  trustedRequesters: [system:kube-scheduler, ci-bot, \"system:node:*\"]\n"
     "windows:\n  - name: w\n    type: blackout\n    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n"
     "bindings:\n  - windows: [w]\n    environments: [prod]\n",
     "DIR: warning: settings.trustedRequesters restates requesters that are always trusted (system:kube-scheduler, "
     "system:node:*): Kubernetes' own controllers are a built-in base that no policy can drop; list only the "
     "requesters to add\n"},
    // YAML reads what follows " #" as a comment: the message was cut short.
    {"message-cut-by-a-comment",
     "windows:\n  - name: w\n    type: blackout\n    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n"
     "    message: Frozen. Ask #release-managers for an exception.\n"
     "bindings:\n  - windows: [w]\n    environments: [prod]\n",
     "DIR/p.yaml:8:14: warning: window \"w\" message ends at \" #\": YAML reads \"#release-managers for an "
     "exception.\" as a comment; quote the text to keep it\n"},
    {"bound-nowhere",
     "windows:\n  - name: lonely\n    type: blackout\n    durations:\n      - daily: {from: \"01:00\", to: "
     "\"02:00\"}\n",
     "DIR/p.yaml:4:11: warning: blackout window \"lonely\" is bound nowhere: no binding names it, so it applies to "
     "nothing\n"},
    {"validity-ended",
     "windows:\n  - name: old\n    type: blackout\n    validUntil: 2025-01-01\n    durations:\n"
     "      - daily: {from: \"01:00\", to: \"02:00\"}\nbindings:\n  - windows: [old]\n    environments: [prod]\n",
     "DIR/p.yaml:4:11: warning: blackout window \"old\"'s validity has ended: it no longer applies\n"},
    {"never-again",
     "windows:\n  - name: once\n    type: blackout\n    durations:\n"
     "      - once: {from: \"2024-01-01 00:00\", to: \"2024-01-02 00:00\"}\nbindings:\n  - windows: [once]\n"
     "    environments: [prod]\n",
     "DIR/p.yaml:4:11: warning: blackout window \"once\" never occurs again within the next 3660 days\n"},
    {"never-ends",
     "windows:\n  - name: halves\n    type: blackout\n    durations:\n      - daily: {from: \"00:00\", to: \"12:00\"}\n"
     "      - daily: {from: \"12:00\", to: \"00:00\"}\nbindings:\n  - windows: [halves]\n    environments: [prod]\n",
     "DIR/p.yaml:4:11: warning: blackout window \"halves\" never ends: its occurrences chain without a gap from "
     "2026-12-01T12:00:00Z on, for the next 3660 days\n"},
    {"maintenance-covered",
     "windows:\n  - name: nights\n    type: maintenance\n    durations:\n      - daily: {from: \"22:00\", to: "
     "\"23:00\"}\n"
     "  - name: evenings\n    type: blackout\n    durations:\n      - daily: {from: \"21:00\", to: \"23:30\"}\n"
     "bindings:\n  - windows: [nights, evenings]\n    environments: [prod]\n",
     "DIR/p.yaml:4:11: warning: maintenance window \"nights\" is always covered by a blackout window bound with it: "
     "it never opens for anyone who is not exempt\n"},
};

INSTANTIATE_TEST_SUITE_P(Cases, LintWarning, ::testing::ValuesIn(kWarningCases));

TEST(Lint, APolicyThatEnforcesWhatItSeemsToHasNoWarnings) {
  const VerbRun result =
      lint_one_file("clean",
                    std::string(kHeader) +
                        "windows:\n  - name: nights\n    type: maintenance\n    durations:\n"
                        "      - daily: {from: \"22:00\", to: \"23:00\"}\n  - name: evenings\n    type: blackout\n"
                        "    durations:\n      - daily: {from: \"21:00\", to: \"22:30\"}\n"
                        "bindings:\n  - windows: [nights, evenings]\n    environments: [prod]\n",
                    {"--strict"});
  EXPECT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out,
            "DIR: valid (2 windows, 1 binding, 0 approvals rules, 0 image policies, 0 exceptions, 0 calendars)\n");
}

// Only lint warns: the verbs that decide and list stay quiet about it.
TEST(Windows, SaysNothingOfWarnings) {
  const auto directory = std::filesystem::temp_directory_path() / "windowguard-cli-quiet";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "p.yaml") << kHeader
                                      << "windows:\n  - name: lonely\n    type: blackout\n    durations:\n"
                                         "      - daily: {from: \"01:00\", to: \"02:00\"}\n";
  const VerbRun listed = run(run_windows, {"--policies", directory.string(), "--at", "2026-12-01T12:00:00Z"});
  std::filesystem::remove_all(directory);
  EXPECT_EQ(listed.code, kExitOk) << listed.err;
  EXPECT_EQ(listed.err, "");
  EXPECT_EQ(listed.out.find("warning"), std::string::npos) << listed.out;
}

TEST(Serve, AUiTokenMustBeASecretThatCanStandInAPath) {
  const auto file = std::filesystem::temp_directory_path() / "windowguard-cli-ui-token";
  const auto serve_with = [&](const std::string& token) {
    std::ofstream(file) << token;
    return run(run_serve, {"--tls-cert", "tls.crt", "--tls-key", "tls.key", "--policies", kPolicies, "--ui-token-file",
                           file.string()});
  };
  for (const std::string token : {"short", "sixteen-or-more but a space", "sixteen/or/more/slashes", ""}) {
    const VerbRun refused = serve_with(token);
    EXPECT_EQ(refused.code, kExitUsage) << token;
    EXPECT_NE(refused.err.find("is not a secret of at least 16 of A-Z a-z 0-9 - . _ ~"), std::string::npos)
        << refused.err;
  }
  std::filesystem::remove(file);
  const VerbRun missing = run(run_serve, {"--tls-cert", "tls.crt", "--tls-key", "tls.key", "--policies", kPolicies,
                                          "--ui-token-file", file.string()});
  EXPECT_EQ(missing.code, kExitUsage);
  const VerbRun no_port = run(run_serve, {"--tls-cert", "tls.crt", "--tls-key", "tls.key", "--policies", kPolicies,
                                          "--ui-listen", "127.0.0.1"});
  EXPECT_NE(no_port.err.find("--ui-listen must be HOST:PORT with a port"), std::string::npos) << no_port.err;
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

TEST(Windows, JsonListsActiveAndUpcomingOccurrencesInTheDocumentedShape) {
  // Saturday 2026-11-21 12:00 UTC: the Los Angeles weekend freeze and the
  // Berlin Friday-night cron are active.
  const VerbRun result = run(run_windows, {"--policies", kPolicies, "--environment", "prod-eu-2", "--at",
                                           "2026-11-21T12:00:00Z", "--days", "7", "--output", "json"});
  ASSERT_EQ(result.code, kExitOk) << result.err;
  const rapidjson::Document document = parse_json(result.out);
  ASSERT_TRUE(document.IsArray());
  std::vector<std::string> rows;
  for (const auto& item : document.GetArray()) {
    for (const char* field : {"window", "type", "timeZone", "start", "end", "startUtc", "endUtc"}) {
      ASSERT_TRUE(item.HasMember(field) && item[field].IsString()) << field;
    }
    ASSERT_TRUE(item["active"].IsBool());
    rows.push_back(std::string(item["window"].GetString()) + " " + item["type"].GetString() + " " +
                   item["start"].GetString() + " " + item["end"].GetString() + " " + item["startUtc"].GetString() +
                   " " + item["endUtc"].GetString() + (item["active"].GetBool() ? " active" : ""));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "friday-night blackout 2026-11-20T22:00:00+01:00 2026-11-23T08:00:00+01:00 "
                      "2026-11-20T21:00:00Z 2026-11-23T07:00:00Z active",
                      "weekend-freeze blackout 2026-11-20T18:00:00-08:00 2026-11-23T06:00:00-08:00 "
                      "2026-11-21T02:00:00Z 2026-11-23T14:00:00Z active",
                      "friday-night blackout 2026-11-27T22:00:00+01:00 2026-11-30T08:00:00+01:00 "
                      "2026-11-27T21:00:00Z 2026-11-30T07:00:00Z",
                      "weekend-freeze blackout 2026-11-27T18:00:00-08:00 2026-11-30T06:00:00-08:00 "
                      "2026-11-28T02:00:00Z 2026-11-30T14:00:00Z",
                  }));
}

TEST(Windows, ApplicationNarrowsTheListing) {
  const VerbRun result =
      run(run_windows, {"--policies", kPolicies, "--environment", "prod-us", "--application", "storefront", "--at",
                        "2031-05-28T00:00:00Z", "--days", "10", "--output", "json"});
  ASSERT_EQ(result.code, kExitOk) << result.err;
  const rapidjson::Document document = parse_json(result.out);
  std::vector<std::string> names;
  for (const auto& item : document.GetArray()) {
    names.push_back(item["window"].GetString());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"weekend-freeze", "product-launch"}));
  const VerbRun other = run(run_windows, {"--policies", kPolicies, "--environment", "prod-us", "--application", "api",
                                          "--at", "2031-05-28T00:00:00Z", "--days", "10", "--output", "json"});
  EXPECT_EQ(other.out.find("product-launch"), std::string::npos);
}

// A calendar's occurrences carry their event's SUMMARY; the holiday nights
// of the maintenance window that excepts the same calendar are left out.
TEST(Windows, CalendarOccurrencesAreNamedByTheirEventAndExceptedNightsLeftOut) {
  const VerbRun result = run(run_windows, {"--policies", kPolicies, "--environment", "storefront-us", "--at",
                                           "2026-11-20T00:00:00Z", "--days", "40"});
  ASSERT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(result.out,
            "WINDOW       TYPE         ACTIVE  START                      END                        START (UTC)  "
            "         END (UTC)             ZONE              EVENT\n"
            "us-holidays  blackout     no      2026-11-26T00:00:00-05:00  2026-11-28T00:00:00-05:00  "
            "2026-11-26T05:00:00Z  2026-11-28T05:00:00Z  America/New_York  Thanksgiving (and the day after)\n"
            "us-holidays  blackout     no      2026-12-25T00:00:00-05:00  2026-12-26T00:00:00-05:00  "
            "2026-12-25T05:00:00Z  2026-12-26T05:00:00Z  America/New_York  Christmas Day\n");
  const VerbRun json = run(run_windows, {"--policies", kPolicies, "--environment", "storefront-us", "--at",
                                         "2026-12-20T00:00:00Z", "--days", "10", "--output", "json"});
  EXPECT_EQ(parse_json(json.out)[0]["event"].GetString(), std::string("Christmas Day"));
  const VerbRun nights = run(run_windows, {"--policies", kPolicies, "--environment", "batch", "--at",
                                           "2026-12-24T12:00:00Z", "--days", "2", "--output", "json"});
  const rapidjson::Document listed = parse_json(nights.out);
  ASSERT_EQ(listed.Size(), 1U);  // the night starting on the 25th is excepted
  EXPECT_EQ(listed[0]["start"].GetString(), std::string("2026-12-24T22:00:00-05:00"));
  EXPECT_FALSE(listed[0].HasMember("event"));
}

// The page and the feed that serve answers at /ui and /calendar.ics, offline.
TEST(Windows, HtmlAndIcsWriteThePageAndTheFeed) {
  const VerbRun page = run(run_windows, {"--policies", kPolicies, "--at", "2026-12-18T10:00:00Z", "--output", "html",
                                         "--environment", "storefront-us"});
  ASSERT_EQ(page.code, kExitOk) << page.err;
  EXPECT_TRUE(page.out.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(page.out.find(">storefront-us · every app</text>"), std::string::npos);
  EXPECT_NE(page.out.find("From Fri 2026-12-18 00:00 UTC, 14 days."), std::string::npos);
  EXPECT_NE(page.out.find("windowguard " WINDOWGUARD_VERSION " · rendered"), std::string::npos);
  EXPECT_EQ(page.out.find(">prod-* · every app</text>"), std::string::npos);
  const VerbRun feed = run(run_windows, {"--policies", kPolicies, "--at", "2026-12-18T10:00:00Z", "--output", "ics",
                                         "--environment", "storefront-us", "--days", "30"});
  ASSERT_EQ(feed.code, kExitOk) << feed.err;
  EXPECT_TRUE(feed.out.starts_with("BEGIN:VCALENDAR\r\n"));
  EXPECT_NE(feed.out.find("SUMMARY:Blackout: us-holidays\r\n"), std::string::npos);
  EXPECT_NE(feed.out.find("DTSTART:20261225T050000Z\r\n"), std::string::npos);
  const VerbRun too_far = run(run_windows, {"--policies", kPolicies, "--output", "html", "--days", "91"});
  EXPECT_EQ(too_far.code, kExitUsage);
  EXPECT_NE(too_far.err.find("--days must be between 1 and 90"), std::string::npos) << too_far.err;
  const VerbRun unknown = run(run_windows, {"--policies", kPolicies, "--output", "xml"});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_NE(unknown.err.find("--output must be text, json, html or ics"), std::string::npos) << unknown.err;
}

TEST(Windows, TextOutputIsATableWithZoneAndUtcTimes) {
  const VerbRun result = run(
      run_windows, {"--policies", kPolicies, "--environment", "batch", "--at", "2026-11-21T12:00:00Z", "--days", "1"});
  ASSERT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(result.out,
            "WINDOW           TYPE         ACTIVE  START                      END                        START (UTC)  "
            "         END (UTC)             ZONE\n"
            "nightly-changes  maintenance  no      2026-11-21T22:00:00-05:00  2026-11-22T06:00:00-05:00  "
            "2026-11-22T03:00:00Z  2026-11-22T11:00:00Z  America/New_York\n");
}

TEST(Windows, DefaultHorizonComesFromSettings) {
  // upcomingDays is 90 in the examples: the festive season starting 29 days ahead is listed.
  const VerbRun result = run(run_windows, {"--policies", kPolicies, "--environment", "payments", "--at",
                                           "2026-11-21T00:00:00Z", "--output", "json"});
  ASSERT_EQ(result.code, kExitOk) << result.err;
  EXPECT_NE(result.out.find("\"window\":\"festive-season\",\"type\":\"blackout\",\"timeZone\":\"Europe/London\","
                            "\"start\":\"2026-12-20T00:00:00+00:00\",\"end\":\"2027-01-02T00:00:00+00:00\""),
            std::string::npos)
      << result.out;
}

TEST(Windows, UsageErrorsExitTwo) {
  for (const Arguments& arguments : std::vector<Arguments>{
           {},
           {"--policies", kPolicies, "--at", "tomorrow"},
           {"--policies", kPolicies, "--days", "0"},
           {"--policies", kPolicies, "--days", "4000"},
           {"--policies", kPolicies, "--output", "yaml"},
           {"--policies", kPolicies, "--application", "api"},
           {"--policies", kPolicies, "--bogus"},
           {"--policies", "/nonexistent/policies"},
       }) {
    const VerbRun result = run(run_windows, arguments);
    EXPECT_EQ(result.code, kExitUsage) << (arguments.empty() ? "" : arguments.back());
    EXPECT_FALSE(result.err.empty());
  }
}

// The break-glass verbs check their command line before calling kubectl,
// and say so when kubectl cannot be run at all.
TEST(BreakGlass, UsageErrorsExitTwoWithTheReason) {
  const std::pair<int (*)(const Arguments&, std::ostream&, std::ostream&), Arguments> rows[] = {
      {run_exception, {}},
      {run_exception, {"approve"}},
      {run_exception, {"request", "-n", "prod", "--windows", "w", "--for", "1h", "--reason", "INC-1: a reason"}},
      {run_exception, {"request", "fix", "-n", "prod", "--windows", "w", "--reason", "INC-1: a reason"}},
      {run_exception,
       {"request", "fix", "-n", "prod", "--windows", "w", "--for", "1h", "--until", "2026-12-05T20:00:00Z", "--reason",
        "INC-1: a reason"}},
      {run_exception,
       {"request", "fix", "-n", "prod", "--windows", "w", "--for", "soon", "--reason", "INC-1: a reason"}},
      {run_exception,
       {"request", "fix", "-n", "prod", "--windows", "w", "--until", "Friday", "--reason", "INC-1: a reason"}},
      {run_approve, {"images", "fix", "-n", "prod"}},
      {run_approve, {"exception", "-n", "prod"}},
      {run_withdraw, {"exception"}},
      {run_cancel, {}},
      {run_requests, {"--output", "yaml"}},
      {run_image, {}},
      {run_image, {"request", "web-2", "-n", "prod", "--application", "web"}},
      {run_image, {"request", "-n", "prod", "--application", "web", "--image", "web:2"}},
      {run_promote, {"--application", "web", "--to", "prod"}},
  };
  for (const auto& [verb, arguments] : rows) {
    const VerbRun result = run(verb, arguments);
    EXPECT_EQ(result.code, kExitUsage) << (arguments.empty() ? "" : arguments.back());
    EXPECT_NE(result.err.find("windowguard "), std::string::npos) << result.err;
  }
  setenv("WINDOWGUARD_KUBECTL", "/nonexistent/kubectl", 1);
  const VerbRun no_kubectl = run(run_requests, {"-A"});
  unsetenv("WINDOWGUARD_KUBECTL");
  EXPECT_EQ(no_kubectl.code, kExitUsage);
  EXPECT_NE(no_kubectl.err.find("cannot run /nonexistent/kubectl"), std::string::npos) << no_kubectl.err;
}

// As a kubectl plugin (kubectl-windowguard), the usage texts name the
// program as the user called it.
TEST(BreakGlass, AsAKubectlPluginTheUsageNamesKubectlWindowguard) {
  set_program_name("/home/dev/.krew/bin/kubectl-windowguard");
  const VerbRun help = run(run_requests, {"--help"});
  const VerbRun wrong = run(run_requests, {"--output", "yaml"});
  set_program_name("/usr/local/bin/windowguard");
  EXPECT_EQ(help.out.rfind("usage: kubectl windowguard requests [-n NS | -A]", 0), 0U) << help.out;
  EXPECT_EQ(wrong.err, "kubectl windowguard requests: --output must be text, wide or json\n");
  EXPECT_EQ(run(run_requests, {"--help"}).out.rfind("usage: windowguard requests", 0), 0U);
}

// A kubectl stand-in: who you are, the workloads of "staging", and what
// `create -f -` is given (kept in created.json).
class FakeKubectl : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    std::ofstream(directory_ / "kubectl") << R"(#!/bin/sh
case "$1 $2" in
  "auth whoami") echo '{"status":{"userInfo":{"username":"alice","groups":["developers"]}}}' ;;
  "config view") printf team-a ;;
  "get deployments.apps,statefulsets.apps,daemonsets.apps,replicasets.apps,pods")
    echo '{"kind":"List","items":[
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"template":{"spec":{
        "initContainers":[{"name":"migrate","image":"registry.example.com/shop/migrate:7"}],
        "containers":[{"name":"web","image":"registry.example.com/shop/web:2.1"},{"name":"proxy","image":"envoy:v1"}]}}}},
      {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-old","labels":{"app":"web"},
        "ownerReferences":[{"kind":"Deployment","name":"web"}]},"spec":{"template":{"spec":{
        "containers":[{"name":"web","image":"registry.example.com/shop/web:2.0"}]}}}},
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","labels":{"app":"api"}},"spec":{"template":{"spec":{
        "containers":[{"name":"api","image":"api:9"}]}}}},
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","labels":{"app":"web"}},"status":{"containerStatuses":[
        {"name":"web","image":"registry.example.com/shop/web:2.1","imageID":"registry.example.com/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        {"name":"proxy","image":"docker.io/library/envoy:v1","imageID":"docker.io/library/envoy@sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"}]}},
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-2","labels":{"app":"web"}},"status":{"containerStatuses":[
        {"name":"web","image":"registry.example.com/shop/web:2.1","imageID":"docker-pullable://registry.example.com/shop/web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        {"name":"proxy","image":"docker.io/library/envoy:v1","imageID":"docker.io/library/envoy@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}]}}]}' ;;
  "create -f") cat > "$(dirname "$0")/created.json"; echo "imageapproval.windowguard.dev/created" ;;
  *) echo "unexpected kubectl $*" >&2; exit 3 ;;
esac
)";
    std::filesystem::permissions(directory_ / "kubectl", std::filesystem::perms::owner_all);
    setenv("WINDOWGUARD_KUBECTL", (directory_ / "kubectl").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("WINDOWGUARD_KUBECTL");
    std::filesystem::remove_all(directory_);
  }
  std::string created() const {
    std::ifstream file(directory_ / "created.json");
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  }

  // One directory per test: ctest runs the tests of this suite at once.
  std::filesystem::path directory_ =
      std::filesystem::temp_directory_path() /
      ("windowguard-fake-kubectl-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
};

// Each image is pinned to the digest every source Pod reports for it (web),
// else named as the template names it: the Pods disagree (envoy) or report
// none (migrate).  An old ReplicaSet's template is not what runs.
TEST_F(FakeKubectl, PromoteFilesARequestForTheImagesTheApplicationRunsInTheSource) {
  const VerbRun promoted = run(run_promote, {"--application", "web", "--from", "staging", "--to", "prod"});
  ASSERT_EQ(promoted.code, kExitOk) << promoted.err;
  EXPECT_EQ(
      created(),
      R"({"apiVersion":"windowguard.dev/v1","kind":"ImageApproval","metadata":{"name":"web-2-1","namespace":"prod"},)"
      R"("spec":{"requestedBy":"alice","application":"web","images":["registry.example.com/shop/web:2.1@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",)"
      R"("docker.io/library/envoy:v1","registry.example.com/shop/migrate:7"],"promotedFrom":"staging"}})");
  EXPECT_NE(promoted.out.find("Ask an approver to run: windowguard approve image web-2-1 -n prod"), std::string::npos)
      << promoted.out;
  const VerbRun nothing = run(run_promote, {"--application", "ledger", "--from", "staging", "--to", "prod"});
  EXPECT_EQ(nothing.code, kExitDenied);
  EXPECT_NE(nothing.err.find("no workload of application \"ledger\" runs in staging"), std::string::npos)
      << nothing.err;
}

// People ask for an exception "for a day"; an end in the past is said so,
// not as "until must be after from".
TEST_F(FakeKubectl, AnExceptionRequestTakesDaysAndRefusesAnEndInThePast) {
  const VerbRun day = run(run_exception, {"request", "fix", "-n", "prod", "--windows", "w", "--for", "1d12h", "--from",
                                          "2030-01-01T00:00:00Z", "--reason", "INC-1: a reason"});
  ASSERT_EQ(day.code, kExitOk) << day.err;
  EXPECT_NE(created().find(R"("from":"2030-01-01T00:00:00Z","until":"2030-01-02T12:00:00Z")"), std::string::npos)
      << created();
  const VerbRun week = run(
      run_exception, {"request", "fix", "-n", "prod", "--windows", "w", "--for", "8d", "--reason", "INC-1: a reason"});
  EXPECT_EQ(week.code, kExitUsage);
  EXPECT_NE(week.err.find("\"8d\" is neither a Go duration (1h30m) nor whole days of at most 7 (1d, 2d12h)"),
            std::string::npos)
      << week.err;
  const VerbRun past = run(run_exception, {"request", "fix", "-n", "prod", "--windows", "w", "--until",
                                           "2020-01-01T00:00:00Z", "--reason", "INC-1: a reason"});
  EXPECT_EQ(past.code, kExitUsage);
  EXPECT_NE(past.err.find("--until 2020-01-01T00:00:00Z is in the past: give an end to come"), std::string::npos)
      << past.err;
}

// Without -n, a request goes where kubectl works: its context's namespace.
TEST_F(FakeKubectl, ARequestWithoutANamespaceGoesToKubectlsNamespace) {
  const VerbRun requested =
      run(run_exception, {"request", "fix", "--windows", "w", "--for", "1h", "--reason", "INC-1: a reason"});
  ASSERT_EQ(requested.code, kExitOk) << requested.err;
  EXPECT_NE(created().find(R"("metadata":{"name":"fix","namespace":"team-a"})"), std::string::npos) << created();
  EXPECT_NE(requested.out.find("Ask an approver to run: windowguard approve exception fix -n team-a"),
            std::string::npos)
      << requested.out;
  const VerbRun image = run(run_image, {"request", "web-2", "--application", "web", "--image", "web:2"});
  ASSERT_EQ(image.code, kExitOk) << image.err;
  EXPECT_NE(created().find(R"("metadata":{"name":"web-2","namespace":"team-a"})"), std::string::npos) << created();
}

TEST_F(FakeKubectl, ImageRequestFilesTheRequestInYourName) {
  const VerbRun requested =
      run(run_image, {"request", "web-2", "-n", "prod", "--application", "web", "--image", "web:2", "--image",
                      "sidecar:1", "--built-by", "ci-bot", "--approver", "bob"});
  ASSERT_EQ(requested.code, kExitOk) << requested.err;
  EXPECT_EQ(
      created(),
      R"({"apiVersion":"windowguard.dev/v1","kind":"ImageApproval","metadata":{"name":"web-2","namespace":"prod"},)"
      R"("spec":{"requestedBy":"alice","application":"web","images":["web:2","sidecar:1"],"builtBy":"ci-bot",)"
      R"("approvers":["bob"]}})");
  const VerbRun refused =
      run(run_image, {"request", "web-2", "-n", "prod", "--application", "web", "--image", "Web:2"});
  EXPECT_EQ(refused.code, kExitUsage);
  EXPECT_NE(refused.err.find("repository name must be lowercase"), std::string::npos) << refused.err;
}

int exit_code_of(const std::string& command) {
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(WebhookConfig, RendersTheExamplePoliciesForAUrlWithItsCaBundle) {
  const auto directory = std::filesystem::temp_directory_path() / "windowguard-cli-webhook-config";
  std::filesystem::create_directories(directory);
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  std::ofstream(directory / "ca.crt") << pem;
  const VerbRun result = run(run_webhook_config, {"--policies", kPolicies, "--url", "https://127.0.0.1:8443/validate",
                                                  "--ca-bundle", (directory / "ca.crt").string()});
  std::filesystem::remove_all(directory);
  EXPECT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_NE(result.out.find("      url: \"https://127.0.0.1:8443/validate\"\n"), std::string::npos) << result.out;
  // base64 of the PEM file above.
  EXPECT_NE(result.out.find(
                "      caBundle: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("'system:serviceaccount:kube-system:cluster-autoscaler'"), std::string::npos);
}

TEST(WebhookConfig, SaysWhichTrustedGlobsTheWebhookAloneDecides) {
  const auto directory = std::filesystem::temp_directory_path() / "windowguard-cli-webhook-config-globs";
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "p.yaml") << "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n"
                                         "settings:\n  trustedRequesters: [\"*-bot\", \"system:node:*\"]\n";
  const VerbRun result = run(run_webhook_config, {"--policies", directory.string(), "--service", "ops/guard:8443"});
  std::filesystem::remove_all(directory);
  EXPECT_EQ(result.code, kExitOk) << result.err;
  EXPECT_EQ(result.err,
            "windowguard webhook-config: trusted requester \"*-bot\" has no matchCondition form (only names and "
            "prefix* globs do): the API server will call the webhook for it, and the webhook allows it\n");
  EXPECT_NE(result.out.find("        namespace: \"ops\"\n        name: \"guard\"\n        path: /validate\n        "
                            "port: 8443\n"),
            std::string::npos)
      << result.out;
}

TEST(WebhookConfig, UsageAndPolicyErrorsExitTwoAndPrintNothing) {
  const std::vector<Arguments> wrong{
      {"--service", "windowguard/windowguard"},
      {"--policies", kPolicies},
      {"--policies", kPolicies, "--service", "a/b", "--url", "https://x"},
      {"--policies", kPolicies, "--service", "windowguard"},
      {"--policies", kPolicies, "--service", "a/b:0"},
      {"--policies", kPolicies, "--service", "a/b:http"},
      {"--policies", kPolicies, "--url", "http://127.0.0.1/validate"},
      {"--policies", kPolicies, "--url", "https://x", "--ca-bundle", "/nonexistent/ca.crt"},
      {"--policies", "/nonexistent", "--url", "https://x"},
  };
  for (const Arguments& arguments : wrong) {
    const VerbRun result = run(run_webhook_config, arguments);
    EXPECT_EQ(result.code, kExitUsage) << arguments.back();
    EXPECT_EQ(result.out, "") << arguments.back();
    EXPECT_NE(result.err, "") << arguments.back();
  }
}

TEST(Binary, PrintsTheVersionTheBuildWasMadeWith) {
  std::FILE* pipe = popen((std::string(build_paths::windowguard_binary) + " --version").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string printed;
  char chunk[256];
  while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) {
    printed += chunk;
  }
  EXPECT_EQ(pclose(pipe), 0);
  EXPECT_EQ(printed, std::string("windowguard ") + WINDOWGUARD_VERSION + "\n");
}

TEST(Binary, DispatchesVerbsAndReportsUnknownOnes) {
  const std::string binary = build_paths::windowguard_binary;
  EXPECT_EQ(exit_code_of(binary + " lint " + kPolicies), kExitOk);
  EXPECT_EQ(exit_code_of(binary + " --help"), kExitOk);
  EXPECT_EQ(exit_code_of(binary), kExitUsage);
  EXPECT_EQ(exit_code_of(binary + " deploy"), kExitUsage);
}

}  // namespace
}  // namespace windowguard::cli
