// Every decision does bounded work whatever the policy (the engine counts
// it; nothing here is timed): the worst cases of bench/adversarial/, and
// random policies that lint accepts.
#include <gtest/gtest.h>

#include <random>

#include "adversarial_policies.hpp"
#include "core/decision.hpp"
#include "core/decision_memo.hpp"
#include "policy/policy_loader.hpp"
#include "support/build_paths.hpp"
#include "support/decision_bounds.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::core {
namespace {

void expect_bounded(const Policy& policy, const DecisionInput& input, const Decision& decision,
                    const std::string& what) {
  const testing::DecisionBound bound = testing::bound_for(policy, input, decision);
  EXPECT_LE(decision.cost.window_changes, bound.most_window_changes) << what;
  EXPECT_LE(decision.cost.expansions, bound.most_expansions) << what;
}

struct AdversarialCase {
  const char* name;
  BlockEnd end;
  const char* blocked_until;  // when found
};

const AdversarialCase kAdversarialCases[] = {
    {"01-chained-cron-and-maintenance", BlockEnd::BeyondBudget, nullptr},
    {"02-minute-cron-year-and-minute-maintenance", BlockEnd::BeyondHorizon, nullptr},
    {"03-minute-cron-year", BlockEnd::BeyondHorizon, nullptr},
    {"04-chains-in-three-zones", BlockEnd::BeyondBudget, nullptr},
    {"05-fifty-overlapping-windows", BlockEnd::BeyondBudget, nullptr},
    {"06-maintenance-one-minute-in-four-years", BlockEnd::Found, "2032-02-29T11:00:00Z"},
    {"07-minute-crons-longest-duration", BlockEnd::BeyondHorizon, nullptr},
    {"08-validity-ten-years-away", BlockEnd::BeyondBudget, nullptr},
    {"09-year-long-once-windows", BlockEnd::BeyondHorizon, nullptr},
    {"10-kathmandu-minute-chain", BlockEnd::BeyondBudget, nullptr},
    {"11-maintenance-always-covered", BlockEnd::BeyondBudget, nullptr},
};

TEST(BoundedCost, EachAdversarialPolicyIsDeniedWithinTheBound) {
  const std::vector<bench::AdversarialPolicy> policies = bench::load_adversarial_policies(build_paths::source_dir);
  ASSERT_EQ(policies.size(), std::size(kAdversarialCases));
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const bench::AdversarialPolicy& adversarial = policies[i];
    const AdversarialCase& expected = kAdversarialCases[i];
    ASSERT_EQ(adversarial.name, expected.name);
    ASSERT_TRUE(adversarial.policy) << adversarial.name;
    const DecisionInput input = bench::adversarial_request(adversarial.denied_at);
    const Decision decision = decide(*adversarial.policy, input);
    EXPECT_FALSE(decision.allowed) << adversarial.name;
    EXPECT_EQ(decision.block_end, expected.end) << adversarial.name;
    EXPECT_EQ(decision.blocked_until ? format_utc(*decision.blocked_until) : "none",
              expected.blocked_until != nullptr ? expected.blocked_until : "none")
        << adversarial.name;
    expect_bounded(*adversarial.policy, input, decision, adversarial.name);
  }
}

// A policy lint accepts, drawn at random: one to six windows of either type
// in assorted zones, each with one to three durations of any kind (minute
// crons lasting up to the longest duration allowed among them) and sometimes
// validity bounds, all bound to `prod`.
std::string random_policy(std::mt19937& random) {
  const auto pick = [&random](int below) { return static_cast<int>(random() % static_cast<unsigned>(below)); };
  const auto hhmm = [&](int hour, int minute) {
    char text[6];
    std::snprintf(text, sizeof(text), "%02d:%02d", hour, minute);
    return std::string(text);
  };
  static const char* const kZones[] = {"UTC",          "America/New_York",    "Europe/Berlin", "Asia/Kathmandu",
                                       "Pacific/Apia", "Australia/Lord_Howe", "+05:45",        "America/Sao_Paulo"};
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Jun", "Oct", "Nov", "Dec"};
  static const char* const kCrons[] = {"* * * * *",   "*/30 1-3 * * *", "0 22 * * 5", "0 12 29 2 *",
                                       "*/7 * * * *", "15 2 * * *",     "0 0 1 * *",  "30 1 * 3,11 0"};
  static const char* const kDurations[] = {"30s", "2m", "1h", "24h", "58h", "720h", "8760h"};
  std::string text = "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n";
  const int windows = 1 + pick(6);
  std::string names;
  for (int w = 0; w < windows; ++w) {
    const std::string name = "w" + std::to_string(w);
    names += (w == 0 ? "" : ", ") + name;
    text += "  - name: " + name + "\n    type: " + (pick(3) == 0 ? "maintenance" : "blackout") + "\n    timeZone: \"" +
            kZones[pick(8)] + "\"\n";
    if (pick(4) == 0) {
      text += "    validFrom: " + std::to_string(2023 + pick(4)) + "-0" + std::to_string(1 + pick(9)) + "-15\n";
    }
    if (pick(4) == 0) {
      text += "    validUntil: " + std::to_string(2027 + pick(10)) + "-03-01\n";
    }
    text += "    durations:\n";
    for (int d = 1 + pick(3); d > 0; --d) {
      const int from_hour = pick(24);
      const int to_hour = (from_hour + 1 + pick(23)) % 24;
      switch (pick(7)) {
        case 0:
          text += "      - once: {from: \"2025-0" + std::to_string(1 + pick(9)) + "-10 " + hhmm(from_hour, 0) +
                  "\", to: \"2026-0" + std::to_string(1 + pick(9)) + "-01 00:00\"}\n";
          break;
        case 1:
          text += "      - daily: {from: \"" + hhmm(from_hour, 30) + "\", to: \"" + hhmm(to_hour, 0) + "\"}\n";
          break;
        case 2:
          text += std::string("      - weekly: {days: [") + kDays[pick(7)] + ", " + kDays[pick(7)] + "], from: \"" +
                  hhmm(from_hour, 0) + "\", to: \"" + hhmm(to_hour, 15) + "\"}\n";
          break;
        case 3:
          text += std::string("      - weeklyRange: {from: \"") + kDays[pick(7)] + " " + hhmm(from_hour, 0) +
                  "\", to: \"" + kDays[pick(7)] + " " + hhmm(to_hour, 30) + "\"}\n";
          break;
        case 4:
          text += "      - monthly: {from: \"" + std::to_string(pick(2) == 0 ? -1 - pick(3) : 1 + pick(31)) + " " +
                  hhmm(from_hour, 0) + "\", to: \"" + std::to_string(1 + pick(28)) + " " + hhmm(to_hour, 45) + "\"}\n";
          break;
        case 5:
          text += std::string("      - yearly: {from: \"") + kMonths[pick(7)] + " " + std::to_string(1 + pick(28)) +
                  " " + hhmm(from_hour, 0) + "\", to: \"" + kMonths[pick(7)] + " 29 " + hhmm(to_hour, 0) + "\"}\n";
          break;
        default:
          text += std::string("      - cron: {schedule: \"") + kCrons[pick(8)] +
                  "\", duration: " + kDurations[pick(7)] + "}\n";
      }
    }
    if (pick(3) == 0) {
      text += "    exempt: {users: [dev]}\n";
    }
  }
  text += "bindings:\n  - windows: [" + names + "]\n    environments: [prod]\n";
  return text;
}

TEST(BoundedCost, RandomPoliciesAreDecidedWithinTheBoundAndAsTheirMemoDecides) {
  std::mt19937 random(20261201);
  int decided = 0;
  for (int p = 0; p < 120; ++p) {
    const std::string text = random_policy(random);
    const auto loaded = policy::load_policy({{"random.yaml", text}});
    ASSERT_TRUE(loaded) << loaded.error().front().to_string() << "\n" << text;
    const core::Policy& policy = *loaded->policy;
    DecisionMemo memo;
    for (int i = 0; i < 12; ++i) {
      const Instant at = testing::utc("2024-01-01T00:00:00Z") + seconds{random() % (3LL * 365 * 86400)};
      const DecisionInput input = bench::adversarial_request(at);
      const Decision decision = decide(policy, input);
      expect_bounded(policy, input, decision, text + " at " + format_utc(at));
      const std::shared_ptr<const Decision> remembered = memo.decide(policy, input);
      EXPECT_EQ(remembered->allowed, decision.allowed) << text << " at " << format_utc(at);
      EXPECT_EQ(remembered->blocked_until, decision.blocked_until) << text << " at " << format_utc(at);
      ++decided;
    }
  }
  EXPECT_EQ(decided, 120 * 12);
}

}  // namespace
}  // namespace windowguard::core
