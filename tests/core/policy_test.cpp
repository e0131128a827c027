#include "core/policy.hpp"

#include <gtest/gtest.h>

#include "support/policy_builder.hpp"

namespace windowguard::core {
namespace {

using testing::clock;
using testing::make_window;
using testing::WindowSpec;

std::vector<Window> windows(std::initializer_list<const char*> names) {
  std::vector<Window> result;
  for (const char* name : names) {
    result.push_back(make_window(WindowSpec{name, WindowType::Blackout, {Daily{clock(0), clock(1)}}}));
  }
  return result;
}

std::vector<std::string> bound(const Policy& policy, Subject subject) {
  std::vector<std::string> names;
  for (std::size_t index : policy.windows_for(subject)) {
    names.push_back(policy.windows()[index].name);
  }
  return names;
}

using Names = std::vector<std::string>;

TEST(PolicyBindings, EnvironmentsByNameAndGlob) {
  const Policy policy(
      windows({"a", "b", "c"}),
      {Binding{{0}, {"payments"}, {}, {}}, Binding{{1}, {"prod-*"}, {}, {}}, Binding{{2}, {"prod-?"}, {}, {}}},
      Settings{});
  EXPECT_EQ(bound(policy, {"payments", "api", {}, false}), Names{"a"});
  EXPECT_EQ(bound(policy, {"prod-eu", "api", {}, false}), Names{"b"});
  EXPECT_EQ(bound(policy, {"prod-1", "api", {}, false}), (Names{"b", "c"}));
  EXPECT_EQ(bound(policy, {"staging", "api", {}, false}), Names{});
}

TEST(PolicyBindings, GlobsOfEveryLiteralPrefixLength) {
  const Policy policy(
      windows({"suffix", "long-prefix", "short-prefix", "question", "class"}),
      {Binding{{0}, {"*-prod"}, {}, {}}, Binding{{1}, {"payments-*"}, {}, {}}, Binding{{2}, {"p*"}, {}, {}},
       Binding{{3}, {"pay?"}, {}, {}}, Binding{{4}, {"team-[ab]"}, {}, {}}},
      Settings{});
  EXPECT_EQ(bound(policy, {"payments-prod", "x", {}, false}), (Names{"suffix", "long-prefix", "short-prefix"}));
  EXPECT_EQ(bound(policy, {"pays", "x", {}, false}), (Names{"short-prefix", "question"}));
  EXPECT_EQ(bound(policy, {"p", "x", {}, false}), Names{"short-prefix"});
  EXPECT_EQ(bound(policy, {"", "x", {}, false}), Names{});
  EXPECT_EQ(bound(policy, {"team-b", "x", {}, false}), Names{"class"});
  EXPECT_EQ(bound(policy, {"team-c", "x", {}, false}), Names{});
}

TEST(PolicyBindings, ApplicationsGlobAndTheEmptyApplication) {
  const Policy policy(
      windows({"any", "star", "named"}),
      {Binding{{0}, {"prod"}, {}, {}}, Binding{{1}, {"prod"}, {"*"}, {}}, Binding{{2}, {"prod"}, {"check*"}, {}}},
      Settings{});
  EXPECT_EQ(bound(policy, {"prod", "checkout", {}, false}), (Names{"any", "star", "named"}));
  EXPECT_EQ(bound(policy, {"prod", "api", {}, false}), (Names{"any", "star"}));
  // An object without an app label is matched only by "*" or an omitted list.
  EXPECT_EQ(bound(policy, {"prod", "", {}, false}), (Names{"any", "star"}));
}

TEST(PolicyBindings, LabelSelector) {
  LabelSelector selector;
  selector.match_labels = {{"tier", "frontend"}};
  selector.match_expressions = {{"track", LabelRequirement::Operator::NotIn, {"canary"}},
                                {"team", LabelRequirement::Operator::Exists, {}}};
  const Policy policy(windows({"a"}), {Binding{{0}, {"prod"}, {}, selector}}, Settings{});
  const std::vector<Label> matching{{"tier", "frontend"}, {"team", "web"}};
  const std::vector<Label> canary{{"tier", "frontend"}, {"team", "web"}, {"track", "canary"}};
  const std::vector<Label> no_team{{"tier", "frontend"}};
  const std::vector<Label> backend{{"tier", "backend"}, {"team", "web"}};
  EXPECT_EQ(bound(policy, {"prod", "x", matching, false}), Names{"a"});
  EXPECT_EQ(bound(policy, {"prod", "x", canary, false}), Names{});
  EXPECT_EQ(bound(policy, {"prod", "x", no_team, false}), Names{});
  EXPECT_EQ(bound(policy, {"prod", "x", backend, false}), Names{});
}

TEST(PolicyBindings, LabelSelectorInAndDoesNotExist) {
  LabelSelector selector;
  selector.match_expressions = {{"env", LabelRequirement::Operator::In, {"prod", "dr"}},
                                {"skip-windows", LabelRequirement::Operator::DoesNotExist, {}}};
  const Policy policy(windows({"a"}), {Binding{{0}, {"*"}, {}, selector}}, Settings{});
  const std::vector<Label> dr{{"env", "dr"}};
  const std::vector<Label> skipped{{"env", "prod"}, {"skip-windows", "yes"}};
  const std::vector<Label> dev{{"env", "dev"}};
  EXPECT_EQ(bound(policy, {"ns", "x", dr, false}), Names{"a"});
  EXPECT_EQ(bound(policy, {"ns", "x", skipped, false}), Names{});
  EXPECT_EQ(bound(policy, {"ns", "x", dev, false}), Names{});
}

TEST(PolicyBindings, WholeEnvironmentIgnoresApplicationsAndSelector) {
  LabelSelector selector;
  selector.match_labels = {{"tier", "frontend"}};
  const Policy policy(windows({"a", "b"}),
                      {Binding{{0}, {"prod"}, {"checkout"}, {}}, Binding{{1}, {"prod"}, {}, selector}}, Settings{});
  EXPECT_EQ(bound(policy, {"prod", "", {}, true}), (Names{"a", "b"}));
  EXPECT_EQ(bound(policy, {"staging", "", {}, true}), Names{});
}

TEST(PolicyBindings, ClusterQualifiedEnvironments) {
  Settings settings;
  settings.cluster_name = "prod-eu-1";
  const Policy here(windows({"eu", "us", "plain"}),
                    {Binding{{0}, {"prod-eu-*/ledger"}, {}, {}}, Binding{{1}, {"prod-us-*/ledger"}, {}, {}},
                     Binding{{2}, {"ledger"}, {}, {}}},
                    settings);
  EXPECT_EQ(bound(here, {"ledger", "x", {}, false}), (Names{"eu", "plain"}));
  const Policy unnamed(windows({"eu", "plain"}),
                       {Binding{{0}, {"prod-eu-1/ledger"}, {}, {}}, Binding{{1}, {"ledger"}, {}, {}}}, Settings{});
  EXPECT_EQ(bound(unnamed, {"ledger", "x", {}, false}), Names{"plain"});
}

TEST(PolicyBindings, AWindowBoundTwiceIsListedOnce) {
  const Policy policy(windows({"a"}), {Binding{{0}, {"prod", "prod*"}, {}, {}}, Binding{{0}, {"*"}, {}, {}}},
                      Settings{});
  EXPECT_EQ(bound(policy, {"prod", "x", {}, false}), Names{"a"});
}

TEST(PolicyBindings, ConditionalAndUnconditionalBindingsOfANamespaceMergeAscendingWithoutRepeats) {
  const Policy policy(windows({"a", "b", "c", "d"}),
                      {Binding{{3, 1}, {"prod"}, {}, {}}, Binding{{2, 0, 3}, {"prod"}, {"api"}, {}},
                       Binding{{1}, {"prod", "stage"}, {}, {}}, Binding{{0}, {"stag*"}, {}, {}}},
                      Settings{});
  const auto indices = [&](std::string_view environment, std::string_view application) {
    return policy.windows_for({environment, application, {}, false});
  };
  EXPECT_EQ(indices("prod", "web"), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(indices("prod", "api"), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(indices("stage", "api"), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(indices("test", "api"), std::vector<std::size_t>{});
}

}  // namespace
}  // namespace windowguard::core
