#include "core/decision_memo.hpp"

#include <gtest/gtest.h>

#include "support/decision_text.hpp"
#include "support/policy_builder.hpp"

namespace windowguard::core {
namespace {

using testing::clock;
using testing::describe;
using testing::make_window;
using testing::utc;
using testing::WindowSpec;

const std::vector<std::string_view> kNoGroups;
const std::vector<std::string_view> kSre{"sre"};
const std::vector<std::string_view> kDevelopers{"developers"};
const std::vector<Label> kCritical{{"tier", "critical"}};
const std::vector<Label> kLow{{"tier", "low"}};
// The same texts as the label tier=critical, as groups.
const std::vector<std::string_view> kTierCriticalAsGroups{"tier", "critical"};

// Office hours blackouts: one for deploys of team-a's api (user dev and group
// sre exempt), one for anything labelled tier=critical in team-b and for
// anything in a namespace labelled tier=critical.  Every
// field of a decision's input changes some decision.
Policy office_hours_policy() {
  ActionSet deploys;
  deploys.add(Action::Deploy);
  std::vector<Window> windows;
  windows.push_back(make_window(WindowSpec{"api-deploys",
                                           WindowType::Blackout,
                                           {Daily{clock(8), clock(18)}},
                                           Exemptions{false, {"dev"}, {"sre"}},
                                           deploys}));
  windows.push_back(make_window(WindowSpec{"critical", WindowType::Blackout, {Daily{clock(9), clock(17)}}}));
  Settings settings;
  settings.warn_before_minutes = 60;
  return Policy(std::move(windows),
                {Binding{{0}, {"team-a"}, {"api"}, std::nullopt},
                 Binding{{1}, {"team-b"}, {}, LabelSelector{{{"tier", "critical"}}, {}}},
                 Binding{{1}, {}, {}, std::nullopt, LabelSelector{{{"tier", "critical"}}, {}}}},
                settings);
}

DecisionInput input_of(Action action, Subject subject, std::string_view user,
                       const std::vector<std::string_view>& groups, Instant at) {
  DecisionInput input;
  input.action = action;
  input.subject = subject;
  input.requester = Requester{user, groups};
  input.at = at;
  return input;
}

const Instant kNoon = utc("2024-03-12T12:00:00Z");

// Two inputs that differ in one field and are decided differently: the memo
// answers each for itself, whichever it saw first, even when both fall in the
// same entry (a memo of one entry).
TEST(DecisionMemo, EveryFieldOfTheInputIsPartOfWhatItRemembers) {
  const Policy policy = office_hours_policy();
  const Subject api{"team-a", "api", {}, false};
  const DecisionInput blocked = input_of(Action::Deploy, api, "alice", kNoGroups, kNoon);
  struct Case {
    const char* field;
    DecisionInput first;
    DecisionInput second;
  };
  const Case cases[] = {
      {"action", blocked, input_of(Action::Restart, api, "alice", kNoGroups, kNoon)},
      {"environment", blocked, input_of(Action::Deploy, {"team-c", "api", {}, false}, "alice", kNoGroups, kNoon)},
      {"application", blocked, input_of(Action::Deploy, {"team-a", "web", {}, false}, "alice", kNoGroups, kNoon)},
      {"whole environment", input_of(Action::Deploy, {"team-a", "web", {}, false}, "alice", kNoGroups, kNoon),
       input_of(Action::Deploy, {"team-a", "web", {}, true}, "alice", kNoGroups, kNoon)},
      {"labels", input_of(Action::Deploy, {"team-b", "", kCritical, false}, "alice", kNoGroups, kNoon),
       input_of(Action::Deploy, {"team-b", "", kLow, false}, "alice", kNoGroups, kNoon)},
      {"username", blocked, input_of(Action::Deploy, api, "dev", kNoGroups, kNoon)},
      {"groups", input_of(Action::Deploy, api, "alice", kDevelopers, kNoon),
       input_of(Action::Deploy, api, "alice", kSre, kNoon)},
      {"groups against labels",
       input_of(Action::Deploy, {"team-b", "", {}, false}, "alice", kTierCriticalAsGroups, kNoon),
       input_of(Action::Deploy, {"team-b", "", kCritical, false}, "alice", kNoGroups, kNoon)},
      {"namespace labels", input_of(Action::Deploy, {"team-c", "", {}, false, kCritical}, "alice", kNoGroups, kNoon),
       input_of(Action::Deploy, {"team-c", "", {}, false, kLow}, "alice", kNoGroups, kNoon)},
      {"labels against namespace labels",
       input_of(Action::Deploy, {"team-c", "", kCritical, false, {}}, "alice", kNoGroups, kNoon),
       input_of(Action::Deploy, {"team-c", "", {}, false, kCritical}, "alice", kNoGroups, kNoon)},
      {"instant", blocked, input_of(Action::Deploy, api, "alice", kNoGroups, utc("2024-03-12T18:00:00Z"))},
  };
  for (const Case& c : cases) {
    const std::string first = describe(decide(policy, c.first));
    const std::string second = describe(decide(policy, c.second));
    ASSERT_NE(first, second) << c.field << ": the case must tell the inputs apart";
    DecisionMemo memo(1);
    EXPECT_EQ(describe(*memo.decide(policy, c.first)), first) << c.field;
    EXPECT_EQ(describe(*memo.decide(policy, c.second)), second) << c.field;
    EXPECT_EQ(describe(*memo.decide(policy, c.first)), first) << c.field;
  }
}

// 80 inputs (more than the memo holds) asked twice at every instant of a day
// and a half, every 17 minutes: always decide's answer.
TEST(DecisionMemo, AnswersAsDecideDoesThroughADay) {
  const Policy policy = office_hours_policy();
  const Subject subjects[] = {{"team-a", "api", {}, false},
                              {"team-a", "web", {}, false},
                              {"team-b", "", kCritical, false},
                              {"team-b", "", kLow, false}};
  DecisionMemo memo;
  int compared = 0;
  const Instant from = utc("2024-03-12T00:00:00Z");
  for (Instant at = from; at < from + hours{36}; at += minutes{17}) {
    for (int pass = 0; pass < 2; ++pass) {
      for (const Action action : kAllActions) {
        for (const Subject& subject : subjects) {
          for (const std::string_view user : {"dev", "alice"}) {
            for (const std::vector<std::string_view>* groups : {&kNoGroups, &kSre}) {
              const DecisionInput input = input_of(action, subject, user, *groups, at);
              ASSERT_EQ(describe(*memo.decide(policy, input)), describe(decide(policy, input)))
                  << format_utc(at) << ' ' << action_name(action) << ' ' << subject.environment << '/'
                  << subject.application << ' ' << user << " pass " << pass;
              ++compared;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 128 * 2 * 80);
}

// Every minute of a day and a half, so that every instant where a decision
// stops holding (a window opening or closing, a warning coming into view an
// hour ahead) is asked about, after the memo has answered the minute before.
TEST(DecisionMemo, AnswersAsDecideDoesEveryMinute) {
  const Policy policy = office_hours_policy();
  const Subject subjects[] = {{"team-a", "api", {}, false}, {"team-b", "", kCritical, false}};
  DecisionMemo memo;
  int compared = 0;
  const Instant from = utc("2024-03-12T00:00:00Z");
  for (Instant at = from; at < from + hours{36}; at += minutes{1}) {
    for (const Subject& subject : subjects) {
      for (const std::string_view user : {"dev", "alice"}) {
        const DecisionInput input = input_of(Action::Deploy, subject, user, kNoGroups, at);
        ASSERT_EQ(describe(*memo.decide(policy, input)), describe(decide(policy, input)))
            << format_utc(at) << ' ' << subject.environment << ' ' << user;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 36 * 60 * 4);
}

// The api's deploy blackout runs 08:00-18:00 and warns from 07:00.
TEST(DecisionMemo, ADecisionHoldsUntilAnApplicableWindowChangesOrComesIntoTheWarning) {
  const Policy policy = office_hours_policy();
  const Subject api{"team-a", "api", {}, false};
  struct Case {
    const char* at;
    const char* holds_until;
  };
  const Case cases[] = {
      {"2024-03-12T02:00:00Z", "2024-03-12T07:00:00Z"},  // allowed, nothing foreseen: until the warning
      {"2024-03-12T07:30:00Z", "2024-03-12T08:00:00Z"},  // allowed with the warning: until the block
      {"2024-03-12T12:00:00Z", "2024-03-12T18:00:00Z"},  // blocked: until the block ends
  };
  for (const Case& c : cases) {
    const DecisionInput first = input_of(Action::Deploy, api, "alice", kNoGroups, utc(c.at));
    DecisionInput last = first;
    last.at = utc(c.holds_until) - seconds{1};
    DecisionInput after = first;
    after.at = utc(c.holds_until);
    ScheduleMemo schedules;
    EXPECT_EQ(format_utc(decide(policy, first, &schedules).holds_until), c.holds_until) << c.at;
    DecisionMemo memo;
    const std::shared_ptr<const Decision> decided = memo.decide(policy, first);
    EXPECT_EQ(memo.decide(policy, last), decided) << c.at << ": shared until its last second";
    EXPECT_NE(describe(*memo.decide(policy, after)), describe(*decided)) << c.at;
  }
}

// Two blackouts in a row, the second ending just past the search horizon:
// their end comes within the horizon 30 seconds later, and the denial must
// then say when it lifts, though neither window has changed.
TEST(DecisionMemo, ABlockWithNoEndInSightIsDecidedAgainEachSecond) {
  const Instant first_ends = kNoon + days{1};
  const Instant second_ends = kNoon + Schedule::kSearchHorizon + seconds{30};
  const Policy policy = testing::bind_everywhere(
      {WindowSpec{"first", WindowType::Blackout, {Once{testing::local(2020, 1, 1), testing::local_of(first_ends)}}},
       WindowSpec{"second",
                  WindowType::Blackout,
                  {Once{testing::local_of(first_ends - hours{1}), testing::local_of(second_ends)}}}});
  const Subject api{"team-a", "api", {}, false};
  DecisionMemo memo;
  for (Instant at = kNoon; at <= kNoon + seconds{40}; at += seconds{10}) {
    const DecisionInput input = input_of(Action::Deploy, api, "alice", kNoGroups, at);
    const std::shared_ptr<const Decision> decision = memo.decide(policy, input);
    ASSERT_FALSE(decision->allowed);
    EXPECT_EQ(decision->blocked_until.has_value(), at >= kNoon + seconds{30}) << format_utc(at);
    EXPECT_EQ(describe(*decision), describe(decide(policy, input))) << format_utc(at);
  }
}

TEST(DecisionMemo, AnInstantBeforeTheRememberedOneIsDecidedForItself) {
  const Policy policy = office_hours_policy();
  const Subject api{"team-a", "api", {}, false};
  DecisionMemo memo;
  const auto allowed_at = [&](const char* at) {
    return memo.decide(policy, input_of(Action::Deploy, api, "alice", kNoGroups, utc(at)))->allowed;
  };
  EXPECT_FALSE(allowed_at("2024-03-12T17:59:59Z"));
  EXPECT_TRUE(allowed_at("2024-03-12T18:00:00Z"));   // holds until 07:00 the next day
  EXPECT_FALSE(allowed_at("2024-03-12T17:59:59Z"));  // the clock stepped back
}

// decide() without a memo reads through one of its own: one meaning of holds_until.
TEST(DecisionMemo, WithoutAScheduleMemoADecisionHoldsAsFarAsWithOne) {
  const DecisionInput input = input_of(Action::Deploy, {"team-a", "api", {}, false}, "alice", kNoGroups, kNoon);
  ScheduleMemo memo;
  const Decision with_memo = decide(office_hours_policy(), input, &memo);
  ASSERT_GT(with_memo.holds_until, kNoon + seconds{1});
  EXPECT_EQ(decide(office_hours_policy(), input).holds_until, with_memo.holds_until);
}

TEST(DecisionMemo, ATrustedRequestersDecisionHoldsWhileThePolicyDoes) {
  const DecisionInput input =
      input_of(Action::Deploy, {"team-a", "api", {}, false}, "system:kube-scheduler", kNoGroups, kNoon);
  const Decision decision = decide(office_hours_policy(), input);
  ASSERT_EQ(decision.verdict, Verdict::Trusted);
  EXPECT_EQ(decision.holds_until, Instant::max());
}

TEST(DecisionMemo, ANewPolicyIsNotAnsweredFromTheOldOnesMemo) {
  const Policy blocking = office_hours_policy();
  const Policy empty({}, {}, Settings{});
  const DecisionInput input = input_of(Action::Deploy, {"team-a", "api", {}, false}, "alice", kNoGroups, kNoon);
  DecisionMemo memo;
  ASSERT_FALSE(memo.decide(blocking, input)->allowed);
  EXPECT_TRUE(memo.decide(empty, input)->allowed);
}

TEST(DecisionMemo, ADecisionOutlivesItsEntry) {
  const Policy policy = office_hours_policy();
  const DecisionInput blocked = input_of(Action::Deploy, {"team-a", "api", {}, false}, "alice", kNoGroups, kNoon);
  DecisionInput later = blocked;
  later.at = kNoon + hours{12};
  DecisionMemo memo(1);
  const std::shared_ptr<const Decision> kept = memo.decide(policy, blocked);
  const std::string expected = describe(decide(policy, blocked));
  ASSERT_NE(describe(*memo.decide(policy, later)), expected);  // the one entry now holds another decision
  EXPECT_EQ(describe(*kept), expected);
}

}  // namespace
}  // namespace windowguard::core
