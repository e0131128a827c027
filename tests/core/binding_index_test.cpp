#include "core/binding_index.hpp"

#include <gtest/gtest.h>

namespace windowguard::core {
namespace {

using Indices = std::vector<std::size_t>;

LabelSelector frontend_selector() {
  LabelSelector selector;
  selector.match_labels = {{"tier", "frontend"}};
  return selector;
}

const std::vector<Label> kFrontend{{"tier", "frontend"}};
const std::vector<Label> kBackend{{"tier", "backend"}};

// One lookup: the bindings (windows, environments, applications, selector),
// the cluster's name, the subject, and the windows it must find.
struct BindingCase {
  const char* name;
  std::vector<Binding> bindings;
  std::string cluster;
  Subject subject;
  Indices windows;
};

void PrintTo(const BindingCase& row, std::ostream* out) { *out << row.name; }

class BindingLookup : public ::testing::TestWithParam<BindingCase> {};

TEST_P(BindingLookup, FindsExactlyTheBoundWindowsAscendingWithoutRepeats) {
  const BindingCase& row = GetParam();
  const BindingIndex index(row.bindings, row.cluster);
  EXPECT_EQ(index.windows_for(row.subject), row.windows) << row.name;
}

const BindingCase kBindingCases[] = {
    {"a_literal_namespace", {Binding{{0}, {"payments"}, {}, {}}}, "", {"payments", "api", {}, false}, {0}},
    {"another_namespace_finds_nothing", {Binding{{0}, {"payments"}, {}, {}}}, "", {"paymentsx", "api", {}, false}, {}},
    {"globs_of_every_prefix_length",
     {Binding{{0}, {"*-prod"}, {}, {}}, Binding{{1}, {"payments-*"}, {}, {}}, Binding{{2}, {"p*"}, {}, {}},
      Binding{{3}, {"pay?"}, {}, {}}},
     "",
     {"payments-prod", "x", {}, false},
     {0, 1, 2}},
    {"a_namespace_shorter_than_a_prefix", {Binding{{0}, {"payments-*"}, {}, {}}}, "", {"pay", "x", {}, false}, {}},
    {"a_character_class", {Binding{{0}, {"team-[ab]"}, {}, {}}}, "", {"team-b", "x", {}, false}, {0}},
    {"literal_and_glob_bindings_merge",
     {Binding{{3, 1}, {"prod"}, {}, {}}, Binding{{2, 0, 3}, {"prod"}, {"api"}, {}}, Binding{{1}, {"prod*"}, {}, {}}},
     "",
     {"prod", "api", {}, false},
     {0, 1, 2, 3}},
    {"an_application_list_that_does_not_match",
     {Binding{{0}, {"prod"}, {"check*"}, {}}, Binding{{1}, {"prod"}, {}, {}}},
     "",
     {"prod", "api", {}, false},
     {1}},
    {"an_object_without_an_app_label_matches_only_star",
     {Binding{{0}, {"prod"}, {"*"}, {}}, Binding{{1}, {"prod"}, {"api"}, {}}},
     "",
     {"prod", "", {}, false},
     {0}},
    {"a_selector_that_matches",
     {Binding{{0}, {"prod"}, {}, frontend_selector()}},
     "",
     {"prod", "x", kFrontend, false},
     {0}},
    {"a_selector_that_does_not",
     {Binding{{0}, {"prod"}, {}, frontend_selector()}},
     "",
     {"prod", "x", kBackend, false},
     {}},
    {"the_whole_environment_ignores_applications_and_selector",
     {Binding{{0}, {"prod"}, {"checkout"}, {}}, Binding{{1}, {"prod"}, {}, frontend_selector()}},
     "",
     {"prod", "", {}, true},
     {0, 1}},
    {"a_cluster_qualified_pattern_for_this_cluster",
     {Binding{{0}, {"prod-eu-*/ledger"}, {}, {}}, Binding{{1}, {"prod-us-*/ledger"}, {}, {}}},
     "prod-eu-1",
     {"ledger", "x", {}, false},
     {0}},
    {"a_cluster_qualified_pattern_without_a_cluster_name",
     {Binding{{0}, {"prod-eu-1/ledger"}, {}, {}}, Binding{{1}, {"ledger"}, {}, {}}},
     "",
     {"ledger", "x", {}, false},
     {1}},
    {"a_cluster_qualified_glob_namespace",
     {Binding{{0}, {"prod-*/team-*"}, {}, {}}},
     "prod-eu-1",
     {"team-a", "x", {}, false},
     {0}},
    {"a_window_bound_twice_is_listed_once",
     {Binding{{0}, {"prod", "prod*"}, {}, {}}, Binding{{0}, {"*"}, {}, {}}},
     "",
     {"prod", "x", {}, false},
     {0}},
    {"no_bindings", {}, "", {"prod", "x", {}, false}, {}},
    // namespaceSelector: namespaces with these labels are environments too,
    // beside the ones `environments` names.
    {"a_namespace_with_the_selected_labels",
     {Binding{{0}, {}, {}, {}, frontend_selector()}},
     "",
     {"web", "x", {}, false, kFrontend},
     {0}},
    {"a_namespace_without_them",
     {Binding{{0}, {}, {}, {}, frontend_selector()}},
     "",
     {"web", "x", {}, false, kBackend},
     {}},
    {"a_namespace_of_unknown_labels", {Binding{{0}, {}, {}, {}, frontend_selector()}}, "", {"web", "x", {}, false}, {}},
    {"environments_beside_a_namespace_selector",
     {Binding{{0}, {"payments"}, {}, {}, frontend_selector()}},
     "",
     {"payments", "x", {}, false, kBackend},
     {0}},
    {"a_namespace_selector_with_applications",
     {Binding{{0}, {}, {"api"}, {}, frontend_selector()}},
     "",
     {"web", "worker", {}, false, kFrontend},
     {}},
};

INSTANTIATE_TEST_SUITE_P(Table, BindingLookup, ::testing::ValuesIn(kBindingCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BindingIndex, KeepsTheBindingsItWasBuiltFrom) {
  const BindingIndex index({Binding{{0}, {"a"}, {}, {}}, Binding{{1, 2}, {"b*"}, {"x"}, {}}}, "");
  ASSERT_EQ(index.bindings().size(), 2U);
  EXPECT_EQ(index.bindings()[1].windows, (Indices{1, 2}));
  EXPECT_EQ(index.bindings()[1].applications, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace windowguard::core
