// The page: what it draws, what it keeps to itself, and that every text from
// the policy or the cluster lands as text.  Fixed instants.
#include "report/timeline_html.hpp"

#include <gtest/gtest.h>

#include "support/policy_builder.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::report {
namespace {

using testing::utc;

const core::Instant kMonday = utc("2026-12-07T10:00:00Z");
// Each would run, add an attribute or end a CDATA section if written raw.
const std::string kHostile = R"(<script>alert(1)</script>"onmouseover=alert(2) ]]>)";

core::Policy policy_named(const std::string& window_name, const std::string& message) {
  core::Window window = testing::make_window(
      {.name = window_name,
       .recurrences = {core::WeeklyRange{{date::Saturday, core::hours{0}}, {date::Monday, core::hours{6}}}},
       .zone_name = "Europe/Berlin",
       .exceptions = core::ExceptionRule{}});
  window.message = message;
  core::Window nightly = testing::make_window({.name = "nightly",
                                               .type = core::WindowType::Maintenance,
                                               .recurrences = {core::Daily{core::hours{22}, core::hours{6}}}});
  return core::Policy({std::move(window), std::move(nightly)},
                      {core::Binding{{0, 1}, {"prod-*"}, {"checkout"}, std::nullopt},
                       core::Binding{{0}, {"staging"}, {}, std::nullopt}},
                      core::Settings{});
}

struct Rendered {
  core::Policy policy;
  core::ExceptionBook exceptions;
  core::ImageApprovalBook approvals;
  std::string page;
};

core::WindowException exception_of(const std::string& window, const std::string& text) {
  core::WindowException exception{"prod-eu-1", "hotfix", text, text, {}, {{text, kMonday - core::hours{1}, {}}}};
  exception.scope.windows = {window};
  exception.scope.from = kMonday - core::hours{1};
  exception.scope.until = kMonday + core::hours{3};
  return exception;
}

std::string render(const core::Policy& policy, const core::TimelineObjects& objects, PageOptions options = {},
                   core::TimelineRequest request = {kMonday, core::days{14}, {}, {}}) {
  return timeline_html(policy, core::build_timeline(policy, request, objects), options);
}

TEST(Page, ARowPerBindingWithItsWindowsTheLegendAndALineAtNow) {
  const core::Policy policy = policy_named("weekend", "No deploys at the weekend");
  const std::string page = render(policy, {});
  EXPECT_NE(page.find(">prod-* · checkout</text>"), std::string::npos) << page;
  EXPECT_NE(page.find(">staging · every app</text>"), std::string::npos);
  EXPECT_NE(page.find(">weekend, nightly</text>"), std::string::npos);
  for (const char* legend :
       {"Blackout</li>", "Maintenance window (open)</li>", "Exception in force</li>", "Now</li>"}) {
    EXPECT_NE(page.find(legend), std::string::npos) << legend;
  }
  EXPECT_NE(page.find("<title>Now: Mon 2026-12-07 10:00 UTC</title>"), std::string::npos);
  // Each boundary in the window's zone and in UTC.
  EXPECT_NE(page.find("<title>Blackout weekend: Sat 2026-12-12 00:00 CET to Mon 2026-12-14 06:00 CET "
                      "(Europe/Berlin); Fri 2026-12-11 23:00 UTC to Mon 2026-12-14 05:00 UTC</title>"),
            std::string::npos);
  EXPECT_NE(page.find("class=\"bar maintenance\""), std::string::npos);
  EXPECT_NE(page.find(".blackout rect{fill:url(#p-blackout)}"), std::string::npos) << "a pattern as well as a colour";
}

TEST(Page, NothingIsFetchedAndNothingRuns) {
  const std::string page = render(policy_named("weekend", "m"), {});
  EXPECT_NE(page.find("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'\""),
            std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("@import"), std::string::npos);
  EXPECT_EQ(page.find("url(http"), std::string::npos);
}

TEST(Page, TheFiltersFillTheFormAndFollowTheLinkToTheFeed) {
  const core::Policy policy = policy_named("weekend", "m");
  PageOptions options;
  options.environment = "prod-eu-1";
  options.application = "check out";
  options.days = 7;
  const std::string page = render(policy, {}, options, {kMonday, core::days{7}, "prod-eu-1", "check out"});
  EXPECT_NE(page.find("name=\"environment\" value=\"prod-eu-1\""), std::string::npos);
  EXPECT_NE(page.find("name=\"application\" value=\"check out\""), std::string::npos);
  EXPECT_NE(page.find("name=\"days\" type=\"number\" min=\"1\" max=\"90\" value=\"7\""), std::string::npos);
  EXPECT_NE(page.find("href=\"calendar.ics?environment=prod-eu-1&amp;application=check%20out\""), std::string::npos);
  EXPECT_EQ(page.find(">staging · every app</text>"), std::string::npos);
  EXPECT_NE(page.find("From Mon 2026-12-07 00:00 UTC, 7 days."), std::string::npos);
  EXPECT_NE(render(policy, {}, {}, {kMonday, core::days{14}, "qa", {}}).find("No binding matches these filters."),
            std::string::npos);
}

TEST(Page, PeopleAndReasonsAppearOnlyWhenAskedFor) {
  const core::Policy policy = policy_named("weekend", "m");
  const core::ExceptionBook book({exception_of("weekend", "alice@example.com")});
  const std::string hidden = render(policy, {.exceptions = &book});
  EXPECT_NE(hidden.find("prod-eu-1/hotfix"), std::string::npos);
  EXPECT_EQ(hidden.find("alice@example.com"), std::string::npos);
  EXPECT_NE(hidden.find("Requesters, approvers and reasons are hidden here"), std::string::npos);
  PageOptions people;
  people.people = true;
  const std::string shown = render(policy, {.exceptions = &book}, people);
  EXPECT_NE(shown.find("<td>alice@example.com</td>"), std::string::npos);
  EXPECT_EQ(shown.find("are hidden here"), std::string::npos);
}

TEST(Page, EveryTextFromThePolicyOrTheClusterIsShownAsText) {
  const core::Policy policy = policy_named("weekend" + kHostile, kHostile);
  const core::ExceptionBook exceptions({exception_of("weekend" + kHostile, kHostile)});
  core::ImageApproval approval;
  approval.namespace_name = "prod-eu-1";
  approval.name = "checkout-2";
  approval.application = kHostile;
  approval.requested_by = kHostile;
  approval.promoted_from = kHostile;
  const core::ImageApprovalBook approvals({approval});
  core::ApprovalRule rule;
  rule.name = "r";
  rule.environments = {"*"};
  const core::Policy with_rule({}, {}, core::Settings{}, {}, core::ImageRules{{rule}, {}});
  PageOptions options;
  options.people = true;
  options.environment = kHostile;
  options.application = kHostile;
  for (const std::string& page : {render(policy, {.exceptions = &exceptions}, options),
                                  render(with_rule, {.image_approvals = &approvals}, options)}) {
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(page.find("\"onmouseover"), std::string::npos);
    EXPECT_EQ(page.find("]]>"), std::string::npos);
    EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=alert(2) ]]&gt;"), std::string::npos);
  }
  const std::string page = render(policy, {.exceptions = &exceptions}, options);
  EXPECT_NE(page.find("<td>&lt;script&gt;alert(1)"), std::string::npos) << "the reason and the requester";
  EXPECT_NE(page.find("<title>Blackout weekend&lt;script&gt;"), std::string::npos) << "a bar's title";
}

}  // namespace
}  // namespace windowguard::report
