// Tests of webhook/policy/policy_compiler.cpp.
// The policy across its files: every error of every file in one run, names
// unique across files, one settings block, bindings to known windows.
#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace windowguard::policy {
namespace {

TEST_P(MalformedPolicy, IsRejectedWithFileLineColumnAndAnActionableMessage) {
  const MalformedCase& row = GetParam();
  const LoadResult result = load_policy({{"p.yaml", row.yaml}});
  EXPECT_FALSE(result.ok()) << row.name;
  EXPECT_EQ(errors_of(result), row.errors) << row.name;
}

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

}  // namespace
}  // namespace windowguard::policy
