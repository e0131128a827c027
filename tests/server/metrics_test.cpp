// What /metrics says of what is coming, at fixed instants: when each window
// next turns active and inactive, and each environment's next blackout; and
// how decisions are counted by action.
#include "server/metrics.hpp"

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "policy/policy_loader.hpp"
#include "server/renderer.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::server {
namespace {

using testing::utc;

std::string seconds_of(const char* instant) { return std::to_string(utc(instant).time_since_epoch().count()); }

TEST(Metrics, ForecastWhenEachWindowTurnsActiveAndInactiveAndEachEnvironmentsNextBlackout) {
  auto loaded = policy::load_policy({{"p.yaml", R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
windows:
  - name: nightly
    type: maintenance
    durations:
      - daily: {from: "22:00", to: "06:00"}
  # Two occurrences end to end: one activity, from Friday 18:00 to Monday 06:00.
  - name: weekend
    type: blackout
    durations:
      - weeklyRange: {from: "Fri 18:00", to: "Sun 00:00"}
      - weeklyRange: {from: "Sun 00:00", to: "Mon 06:00"}
  - name: launch
    type: blackout
    durations:
      - once: {from: "2026-12-07 09:00", to: "2026-12-07 12:00"}
  - name: past
    type: blackout
    durations:
      - once: {from: "2020-01-01 00:00", to: "2020-01-02 00:00"}
bindings:
  - windows: [weekend, launch, nightly]
    environments: ["prod-*"]
  - windows: [weekend, past]
    environments: [staging]
)yaml"}});
  ASSERT_TRUE(loaded);
  const Metrics metrics;
  // Saturday 5 December 2026, 12:00 UTC: the weekend blackout is active.
  const std::string text = metrics.render(loaded->policy.get(), utc("2026-12-05T12:00:00Z"));
  for (const std::string& line : {
           "windowguard_window_next_active_timestamp_seconds{window=\"nightly\",type=\"maintenance\"} " +
               seconds_of("2026-12-05T22:00:00Z"),
           "windowguard_window_next_inactive_timestamp_seconds{window=\"nightly\",type=\"maintenance\"} " +
               seconds_of("2026-12-06T06:00:00Z"),
           "windowguard_window_next_active_timestamp_seconds{window=\"weekend\",type=\"blackout\"} " +
               seconds_of("2026-12-11T18:00:00Z"),
           "windowguard_window_next_inactive_timestamp_seconds{window=\"weekend\",type=\"blackout\"} " +
               seconds_of("2026-12-07T06:00:00Z"),
           "windowguard_window_next_active_timestamp_seconds{window=\"launch\",type=\"blackout\"} " +
               seconds_of("2026-12-07T09:00:00Z"),
           "windowguard_environment_next_blackout_timestamp_seconds{environment=\"prod-*\",window=\"launch\"} " +
               seconds_of("2026-12-07T09:00:00Z"),
           "windowguard_environment_next_blackout_timestamp_seconds{environment=\"staging\",window=\"weekend\"} " +
               seconds_of("2026-12-11T18:00:00Z"),
       }) {
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line << "\nin\n" << text;
  }
  // A later scrape (forecasts are remembered until they come true) sees
  // what changed since: the launch has begun, the weekend and a night are over.
  const std::string monday = metrics.render(loaded->policy.get(), utc("2026-12-07T10:00:00Z"));
  for (const std::string& line : {
           "windowguard_window_next_inactive_timestamp_seconds{window=\"launch\",type=\"blackout\"} " +
               seconds_of("2026-12-07T12:00:00Z"),
           "windowguard_window_next_active_timestamp_seconds{window=\"nightly\",type=\"maintenance\"} " +
               seconds_of("2026-12-07T22:00:00Z"),
           "windowguard_window_next_inactive_timestamp_seconds{window=\"weekend\",type=\"blackout\"} " +
               seconds_of("2026-12-14T06:00:00Z"),
           "windowguard_environment_next_blackout_timestamp_seconds{environment=\"prod-*\",window=\"weekend\"} " +
               seconds_of("2026-12-11T18:00:00Z"),
       }) {
    EXPECT_NE(monday.find(line + "\n"), std::string::npos) << line << "\nin\n" << monday;
  }
  EXPECT_EQ(monday.find("next_active_timestamp_seconds{window=\"launch\""), std::string::npos);
  // A window that never occurs again has no forecast.
  EXPECT_EQ(text.find("next_active_timestamp_seconds{window=\"past\""), std::string::npos);
  EXPECT_EQ(text.find("next_inactive_timestamp_seconds{window=\"past\""), std::string::npos);
}

TEST(Metrics, WritesToRequestsAreCountedByWhatTheyDo) {
  Metrics metrics;
  metrics.count_admission(std::nullopt, admission::RequestWrite::Approve, AdmissionOutcome::Allowed, false,
                          std::chrono::microseconds{50});
  metrics.count_admission(std::nullopt, admission::RequestWrite::Cancel, AdmissionOutcome::Denied, false,
                          std::chrono::microseconds{50});
  metrics.count_admission(core::Action::Deploy, std::nullopt, AdmissionOutcome::Denied, true,
                          std::chrono::microseconds{50});
  metrics.count_admission(std::nullopt, std::nullopt, AdmissionOutcome::Allowed, false, std::chrono::microseconds{50});
  const std::string text = metrics.render(nullptr, utc("2026-12-07T10:00:00Z"));
  for (const char* counted :
       {R"(windowguard_admission_requests_total{action="approve",decision="allowed",dry_run="false"} 1)",
        R"(windowguard_admission_requests_total{action="cancel",decision="denied",dry_run="false"} 1)",
        R"(windowguard_admission_requests_total{action="deploy",decision="denied",dry_run="true"} 1)",
        R"(windowguard_admission_requests_total{action="none",decision="allowed",dry_run="false"} 1)",
        R"(windowguard_admission_requests_total{action="request",decision="allowed",dry_run="false"} 0)"}) {
    EXPECT_NE(text.find(std::string(counted) + "\n"), std::string::npos) << counted;
  }
}

// The gauges of one policy at one instant: which windows are active, the
// policy's own exceptions by state, and how old the cluster view is, all
// from the instant given (no clock is read).
TEST(Metrics, GaugesAreTheStateAtTheInstantGiven) {
  auto loaded = policy::load_policy({{"p.yaml", R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
windows:
  - name: freeze
    type: blackout
    durations:
      - once: {from: "2026-12-07 09:00", to: "2026-12-07 12:00"}
  - name: later
    type: blackout
    durations:
      - once: {from: "2026-12-08 09:00", to: "2026-12-08 12:00"}
bindings:
  - windows: [freeze, later]
    environments: [prod]
exceptions:
  - {name: now, reason: INC-1 a hotfix, windows: [freeze], environments: [prod], users: [a],
     from: "2026-12-07T09:00:00Z", until: "2026-12-07T11:00:00Z"}
  - {name: soon, reason: INC-2 a hotfix, windows: [freeze], environments: [prod], users: [a],
     from: "2026-12-07T11:00:00Z", until: "2026-12-07T11:30:00Z"}
)yaml"}});
  ASSERT_TRUE(loaded.ok()) << loaded.error().front().message;
  const core::Instant at = utc("2026-12-07T10:00:00Z");
  cluster::ClusterViewStatus cluster;
  cluster.exceptions = cluster::ReflectorStatus{true, false, false, at - std::chrono::seconds{30}, 2, 1};
  const std::string text = Metrics().render(loaded->policy.get(), at, nullptr, &cluster);
  for (const char* expected :
       {R"(windowguard_window_active{window="freeze",type="blackout"} 1)",
        R"(windowguard_window_active{window="later",type="blackout"} 0)",
        R"(windowguard_exceptions{source="policy",state="in force"} 1)",
        R"(windowguard_exceptions{source="policy",state="scheduled"} 1)",
        R"(windowguard_exceptions{source="policy",state="expired"} 0)",
        R"(windowguard_cluster_view_age_seconds{resource="windowexceptions"} 30)",
        R"(windowguard_cluster_failures_total{resource="windowexceptions"} 2)", "windowguard_policy_windows 2"}) {
    EXPECT_NE(text.find(std::string(expected) + "\n"), std::string::npos) << expected;
  }
  EXPECT_EQ(text.find(R"(windowguard_exceptions{source="cluster")"), std::string::npos) << "no cluster book";
}

// A scrape is rendered on the renderer's thread, not the caller's, and
// stop() waits for every scrape asked for.
TEST(Renderer, RendersOnItsOwnThreadAndStopWaitsForIt) {
  Metrics metrics;
  metrics.count_admission(core::Action::Deploy, std::nullopt, AdmissionOutcome::Denied, false,
                          std::chrono::microseconds{50});
  Renderer renderer(metrics);
  std::promise<std::pair<std::thread::id, std::string>> rendered;
  renderer.scrape(ScrapeInputs{nullptr, nullptr, nullptr, utc("2026-12-07T10:00:00Z")}, [&](std::string exposition) {
    rendered.set_value({std::this_thread::get_id(), std::move(exposition)});
  });
  renderer.stop();
  auto [thread, exposition] = rendered.get_future().get();
  EXPECT_NE(thread, std::this_thread::get_id());
  EXPECT_NE(
      exposition.find(R"(windowguard_admission_requests_total{action="deploy",decision="denied",dry_run="false"} 1)"),
      std::string::npos);
  EXPECT_NE(exposition.find("windowguard_policy_loaded 0\n"), std::string::npos);
}

}  // namespace
}  // namespace windowguard::server
