#include "core/exemption_index.hpp"

#include <gtest/gtest.h>

#include "support/policy_builder.hpp"

namespace windowguard::core {
namespace {

using testing::clock;
using testing::make_window;
using testing::WindowSpec;
using Indices = std::vector<std::size_t>;

Window window_exempting(bool super_admins, std::vector<std::string> users, std::vector<std::string> groups) {
  Window window = make_window(WindowSpec{"w", WindowType::Blackout, {Daily{clock(0), clock(1)}}});
  window.exempt = Exemptions{super_admins, std::move(users), std::move(groups)};
  return window;
}

// Window 0 exempts super admins and the groups sre and dba; window 1 the user
// alice; window 2 the group sre (listed twice) and alice; window 3 nobody.
std::vector<Window> exempting_windows() {
  return {window_exempting(true, {}, {"sre", "dba"}), window_exempting(false, {"alice"}, {}),
          window_exempting(false, {"alice"}, {"sre", "sre"}), window_exempting(false, {}, {})};
}

Settings settings_with_super_admin_groups(std::vector<std::string> groups) {
  Settings settings;
  settings.super_admin_groups = std::move(groups);
  return settings;
}

struct StandingCase {
  const char* name;
  std::string_view user;
  std::vector<std::string_view> groups;
  bool super_admin;
  Indices named_in;       // the windows naming the user or a group, ascending
  Indices exempted_from;  // the windows that exempt the requester
};

void PrintTo(const StandingCase& row, std::ostream* out) { *out << row.name; }

class RequesterStanding : public ::testing::TestWithParam<StandingCase> {};

TEST_P(RequesterStanding, IsWorkedOutFromTheNamesTheWindowsList) {
  const StandingCase& row = GetParam();
  const std::vector<Window> windows = exempting_windows();
  const ExemptionIndex index(windows, settings_with_super_admin_groups({"platform-admins"}));
  const ExemptionIndex::Standing standing = index.standing_of(row.user, row.groups);
  EXPECT_EQ(standing.super_admin, row.super_admin);
  EXPECT_EQ(standing.named_in, row.named_in);
  Indices exempted;
  for (std::size_t window = 0; window < windows.size(); ++window) {
    if (index.exempts(window, standing)) {
      exempted.push_back(window);
    }
  }
  EXPECT_EQ(exempted, row.exempted_from);
}

const StandingCase kStandingCases[] = {
    {"nobody_in_particular", "bob", {"dev"}, false, {}, {}},
    {"a_group_named_by_two_windows", "bob", {"sre"}, false, {0, 2}, {0, 2}},
    {"a_group_named_by_one", "bob", {"dba"}, false, {0}, {0}},
    {"a_user_name_is_not_a_group", "bob", {"alice"}, false, {}, {}},
    {"a_user_named_by_two_windows", "alice", {}, false, {1, 2}, {1, 2}},
    {"a_group_name_is_not_a_user", "sre", {}, false, {}, {}},
    {"the_empty_user", "", {}, false, {}, {}},
    {"user_and_group_together", "alice", {"sre"}, false, {0, 1, 2, 2}, {0, 1, 2}},
    {"a_super_admin_only_where_super_admins_are_exempt", "root", {"platform-admins"}, true, {}, {0}},
    {"system_masters_is_not_a_super_admin_group_here", "root", {"system:masters"}, false, {}, {}},
};

INSTANTIATE_TEST_SUITE_P(Table, RequesterStanding, ::testing::ValuesIn(kStandingCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TrustedRequesters, LiteralNamesAreMatchedExactlyAndPatternsAsGlobs) {
  Settings settings;
  settings.trusted_requesters = {"system:kube-scheduler", "system:node:*", "ci-bot-?", "a\\*b"};
  const ExemptionIndex index({}, settings);
  for (const char* trusted : {"system:kube-scheduler", "system:node:worker-1", "ci-bot-7", "a*b"}) {
    EXPECT_TRUE(index.is_trusted(trusted)) << trusted;
  }
  for (const char* governed : {"system:kube-scheduler2", "system:kube", "system:node", "ci-bot-17", "axb", ""}) {
    EXPECT_FALSE(index.is_trusted(governed)) << governed;
  }
}

TEST(TrustedRequesters, TheDefaultsAreTheControllersThatActOnBehalfOfAChangeAlreadyAdmitted) {
  const ExemptionIndex index({}, Settings{});
  EXPECT_TRUE(index.is_trusted("system:serviceaccount:kube-system:replicaset-controller"));
  EXPECT_TRUE(index.is_trusted("system:node:worker-1"));
  EXPECT_FALSE(index.is_trusted("system:serviceaccount:kube-system:default"));
  EXPECT_FALSE(index.is_trusted("kubernetes-admin"));
}

}  // namespace
}  // namespace windowguard::core
