// What the page and the feed show: rows of bindings and selected
// namespaces, the filters, the bars of windows and exceptions, and the
// exceptions and image approvals pending or in force.  Fixed instants.
#include "core/timeline.hpp"

#include <gtest/gtest.h>

#include "policy/policy_loader.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::core {
namespace {

using testing::utc;

// Monday 2026-12-07 10:00 UTC.
const Instant kMonday = utc("2026-12-07T10:00:00Z");

constexpr const char* kPolicy = R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
windows:
  - name: weekend
    type: blackout
    timeZone: Europe/Berlin
    durations:
      - weeklyRange: {from: "Sat 00:00", to: "Mon 06:00"}
    exceptions: {approvals: 1, approvers: {users: [bob]}}
  - name: nightly
    type: maintenance
    durations:
      - daily: {from: "22:00", to: "06:00"}
  - name: elsewhere
    type: blackout
    durations:
      - daily: {from: "12:00", to: "13:00"}
bindings:
  - windows: [weekend]
    environments: ["prod-*", staging]
  - windows: [nightly]
    environments: ["prod-*"]
    applications: [checkout, "cart-*"]
  - windows: [nightly]
    environments: [staging]
  - windows: [elsewhere]
    environments: ["other-cluster/*"]
    namespaceSelector:
      matchLabels: {tier: gold}
exceptions:
  - name: launch
    reason: INC-4711
    windows: [weekend]
    environments: [prod-eu-1]
    applications: [checkout]
    users: [alice]
    from: 2026-12-12T08:00:00Z
    until: 2026-12-12T12:00:00Z
  - name: old
    reason: long ago
    windows: [weekend]
    environments: ["*"]
    users: [alice]
    from: 2026-11-01T08:00:00Z
    until: 2026-11-01T12:00:00Z
approvals:
  - name: prod-release
    environments: ["prod-*"]
    approvers: {superAdmins: false, users: [bob, dave]}
    required: 2
    expireAfter: 24h
)yaml";

std::shared_ptr<const Policy> load(const std::string& text = kPolicy) {
  auto loaded = policy::load_policy({{"p.yaml", text}});
  if (!loaded) {
    throw std::runtime_error(loaded.error().front().to_string());
  }
  return loaded->policy;
}

std::vector<std::string> row_names(const Timeline& timeline) {
  std::vector<std::string> names;
  for (const TimelineRow& row : timeline.rows) {
    names.push_back(row.environment + (row.application.empty() ? "" : "/" + row.application));
  }
  return names;
}

TimelineRequest at_monday(std::optional<std::string> environment = std::nullopt,
                          std::optional<std::string> application = std::nullopt) {
  return TimelineRequest{kMonday, days{kDefaultPageDays}, std::move(environment), std::move(application)};
}

TEST(Timeline, ARowIsABindingsEnvironmentAndApplicationWithEveryWindowBoundThere) {
  const auto policy = load();
  const Timeline timeline = build_timeline(*policy, at_monday(), {});
  // "other-cluster/*" names another cluster; the selector selects nothing without cluster access.
  EXPECT_EQ(row_names(timeline), (std::vector<std::string>{"prod-*", "prod-*/cart-*", "prod-*/checkout", "staging"}));
  EXPECT_EQ(timeline.rows[3].windows, (std::vector<std::size_t>{0, 1}));  // two bindings of staging
  EXPECT_EQ(timeline.rows[1].windows, std::vector<std::size_t>{1});
  ASSERT_EQ(timeline.windows.size(), 2U);
  EXPECT_EQ(timeline.windows[0].window, 0U);
  EXPECT_EQ(timeline.windows[0].rows, (std::vector<std::size_t>{0, 3}));
  EXPECT_EQ(timeline.windows[1].rows, (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_EQ(timeline.now, kMonday);
  EXPECT_EQ(timeline.from, utc("2026-12-07T00:00:00Z")) << "the day so far is shown too";
  EXPECT_EQ(timeline.to, utc("2026-12-21T00:00:00Z"));
}

TEST(Timeline, EachNamespaceASelectorSelectsIsARowOfItsOwn) {
  const auto policy = load();
  const NamespaceLabels namespaces(std::unordered_map<std::string, NamespaceLabels::Owned>{
      {"vault", {{"tier", "gold"}}}, {"web", {{"tier", "bronze"}}}});
  const Timeline timeline = build_timeline(*policy, at_monday(), {.namespaces = &namespaces});
  EXPECT_EQ(row_names(timeline),
            (std::vector<std::string>{"prod-*", "prod-*/cart-*", "prod-*/checkout", "staging", "vault"}));
  EXPECT_EQ(timeline.rows[4].windows, std::vector<std::size_t>{2});
}

TEST(Timeline, TheFiltersKeepRowsTheyMatchAndRowsWhosePatternCoversThem) {
  const auto policy = load();
  EXPECT_EQ(row_names(build_timeline(*policy, at_monday("prod-eu-1"), {})),
            (std::vector<std::string>{"prod-*", "prod-*/cart-*", "prod-*/checkout"}));
  EXPECT_EQ(row_names(build_timeline(*policy, at_monday("stag*"), {})), std::vector<std::string>{"staging"});
  EXPECT_EQ(row_names(build_timeline(*policy, at_monday("prod-*", "checkout"), {})),
            (std::vector<std::string>{"prod-*", "prod-*/checkout"}))
      << "a row for every application is kept by any application";
  EXPECT_EQ(row_names(build_timeline(*policy, at_monday("qa"), {})), std::vector<std::string>{});
}

TEST(Timeline, BarsAreTheMergedOccurrencesOverTheSpanByKind) {
  const auto policy = load();
  const Timeline timeline = build_timeline(*policy, at_monday("staging"), {});
  ASSERT_EQ(timeline.rows.size(), 1U);
  std::vector<TimelineBar> weekend;
  std::size_t nightly = 0;
  for (const TimelineBar& bar : timeline.rows[0].bars) {
    if (bar.kind == BarKind::Blackout) {
      weekend.push_back(bar);
    } else {
      EXPECT_EQ(bar.kind, BarKind::Maintenance);
      ++nightly;
    }
  }
  // In Berlin time (UTC+1 in December): the weekend that ended at 05:00 UTC today, and two more.
  ASSERT_EQ(weekend.size(), 3U);
  EXPECT_EQ(weekend[0].from, utc("2026-12-04T23:00:00Z"));
  EXPECT_EQ(weekend[0].to, utc("2026-12-07T05:00:00Z"));
  EXPECT_EQ(weekend[1].from, utc("2026-12-11T23:00:00Z"));
  EXPECT_EQ(weekend[1].to, utc("2026-12-14T05:00:00Z"));
  EXPECT_EQ(weekend[2].from, utc("2026-12-18T23:00:00Z"));
  // 22:00 to 06:00 every night: the first bar is the one that ended this morning, the last starts on the 20th.
  EXPECT_EQ(nightly, 15U);
  const auto by_start = std::is_sorted(timeline.rows[0].bars.begin(), timeline.rows[0].bars.end(),
                                       [](const TimelineBar& a, const TimelineBar& b) { return a.from < b.from; });
  EXPECT_TRUE(by_start);
}

TEST(Timeline, AnApprovedExceptionIsDrawnWhereItLiftsAndListedWithItsPeople) {
  const auto policy = load();
  const Timeline timeline = build_timeline(*policy, at_monday(), {});
  ASSERT_EQ(timeline.exceptions.size(), 1U) << "the expired one is left out";
  const TimelineException& launch = timeline.exceptions[0];
  EXPECT_EQ(launch.label, "launch");
  EXPECT_TRUE(launch.from_policy);
  EXPECT_EQ(launch.state, ExceptionState::Scheduled);
  EXPECT_EQ(launch.reason, "INC-4711");
  EXPECT_EQ(launch.windows, std::vector<std::size_t>{0});
  const auto drawn_in = [&](const std::string& name) {
    for (const TimelineRow& row : timeline.rows) {
      const std::string row_name = row.environment + (row.application.empty() ? "" : "/" + row.application);
      if (row_name == name) {
        return std::any_of(row.bars.begin(), row.bars.end(),
                           [](const TimelineBar& bar) { return bar.kind == BarKind::Exception; });
      }
    }
    return false;
  };
  EXPECT_TRUE(drawn_in("prod-*"));
  EXPECT_FALSE(drawn_in("prod-*/cart-*")) << "another application, and a window it does not lift";
  EXPECT_FALSE(drawn_in("staging"));
  EXPECT_TRUE(build_timeline(*policy, at_monday("staging"), {}).exceptions.empty());
}

TEST(Timeline, WindowExceptionsArePendingOrInForceByTheirApprovals) {
  const auto policy = load();
  WindowException pending{"prod-eu-1", "hotfix", "alice", "INC-1", {}, {}};
  pending.scope.windows = {"weekend"};
  pending.scope.from = kMonday;
  pending.scope.until = kMonday + hours{4};
  WindowException approved = pending;
  approved.name = "approved";
  approved.approvals = {{"bob", kMonday - minutes{5}, {}}};
  const ExceptionBook book({pending, approved});
  const Timeline timeline = build_timeline(*policy, at_monday(), {.exceptions = &book});
  ASSERT_EQ(timeline.exceptions.size(), 3U);
  EXPECT_EQ(timeline.exceptions[1].label, "prod-eu-1/approved");
  EXPECT_EQ(timeline.exceptions[1].state, ExceptionState::InForce);
  EXPECT_EQ(timeline.exceptions[1].approvers, std::vector<std::string>{"bob"});
  EXPECT_EQ(timeline.exceptions[1].requested_by, "alice");
  EXPECT_EQ(timeline.exceptions[2].label, "prod-eu-1/hotfix");
  EXPECT_EQ(timeline.exceptions[2].state, ExceptionState::Pending);
  const std::vector<TimelineBar>& bars = timeline.rows[0].bars;  // prod-*
  EXPECT_EQ(
      std::count_if(bars.begin(), bars.end(), [](const TimelineBar& bar) { return bar.kind == BarKind::Exception; }), 2)
      << "the policy's and the approved object's; the pending one is not drawn";
}

TEST(Timeline, ImageApprovalsShowTheirCountAndWhenTheirApprovalsExpire) {
  const auto policy = load();
  ImageApproval approved;
  approved.namespace_name = "prod-eu-1";
  approved.name = "checkout-2";
  approved.requested_by = "carol";
  approved.application = "checkout";
  approved.images = {*parse_image_reference("registry.example.com/checkout:2")};
  approved.approvals = {{"bob", kMonday - hours{2}, {}}, {"dave", kMonday - hours{1}, {}}};
  ImageApproval pending = approved;
  pending.name = "checkout-3";
  pending.approvals = {{"bob", kMonday - hours{2}, {}}};
  ImageApproval ungoverned = approved;
  ungoverned.namespace_name = "staging";
  const ImageApprovalBook book({approved, pending, ungoverned});
  const Timeline timeline = build_timeline(*policy, at_monday(), {.image_approvals = &book});
  ASSERT_EQ(timeline.image_approvals.size(), 2U);
  const TimelineImageApproval& first = timeline.image_approvals[0];
  EXPECT_EQ(first.label, "prod-eu-1/checkout-2");
  EXPECT_TRUE(first.approved);
  EXPECT_EQ(first.approvers, (std::vector<std::string>{"bob", "dave"}));
  EXPECT_EQ(first.images, std::vector<std::string>{"registry.example.com/checkout:2"});
  // Bob's approval expires first, and two are required.
  EXPECT_EQ(first.until, kMonday + hours{22});
  EXPECT_FALSE(timeline.image_approvals[1].approved);
  EXPECT_EQ(timeline.image_approvals[1].approvals, 1);
  EXPECT_EQ(timeline.image_approvals[1].until, std::nullopt);
  EXPECT_TRUE(build_timeline(*policy, at_monday("prod-*", "cart"), {.image_approvals = &book}).image_approvals.empty());
}

}  // namespace
}  // namespace windowguard::core
