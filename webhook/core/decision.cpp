#include "core/decision.hpp"

#include <algorithm>

namespace windowguard::core {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool in_any_group(const std::vector<std::string>& listed, std::span<const std::string_view> groups) {
  return std::any_of(groups.begin(), groups.end(), [&](std::string_view group) { return contains(listed, group); });
}

// The requester as the windows' exemptions see it, worked out once for every
// window: whether a super admin, and the windows that name the requester or
// one of its groups.
struct Standing {
  bool super_admin = false;
  std::vector<std::size_t> named_in;  // ascending
};

Standing standing_of(const Policy& policy, const Requester& requester) {
  Standing standing;
  standing.super_admin = in_any_group(policy.settings().super_admin_groups, requester.groups);
  const auto add = [&](std::span<const std::size_t> windows) {
    standing.named_in.insert(standing.named_in.end(), windows.begin(), windows.end());
  };
  add(policy.windows_exempting_user(requester.username));
  for (std::string_view group : requester.groups) {
    add(policy.windows_exempting_group(group));
  }
  std::sort(standing.named_in.begin(), standing.named_in.end());
  return standing;
}

bool is_exempt(const Policy& policy, std::size_t window, const Standing& standing) {
  return (policy.windows()[window].exempt.super_admins && standing.super_admin) ||
         std::binary_search(standing.named_in.begin(), standing.named_in.end(), window);
}

// The state of one instant for one requester, over the windows that govern the
// request (bound and covering the action; validity is checked here).
struct Evaluation {
  bool blocked = false;
  Verdict verdict = Verdict::Unrestricted;
  std::optional<std::size_t> blocking_window;
  std::vector<std::size_t> bypassed;
  std::vector<WindowStatus> windows;  // those valid at the instant
  // Exclusive: no governing window changes before then (a lower bound; one
  // second without a schedule memo).
  Instant holds_until = Instant::max();
  // With a schedule memo: the first instant after this one at which a
  // governing window changes (unbounded; empty if none within the horizon).
  std::optional<Instant> next_change;
};

class Evaluator {
 public:
  Evaluator(const Policy& policy, std::vector<std::size_t> governing, const Requester& requester, ScheduleMemo* memo)
      : policy_(policy), governing_(std::move(governing)), standing_(standing_of(policy_, requester)), memo_(memo) {}

  const std::vector<std::size_t>& governing() const { return governing_; }

  Evaluation at(Instant t) const {
    Evaluation result;
    result.windows.reserve(governing_.size());
    if (memo_ == nullptr) {
      result.holds_until = t + seconds{1};
    }
    for (std::size_t index : governing_) {
      if (memo_ != nullptr) {
        const ScheduleMemo::State& state = memo_->state(policy_, index, t);
        result.holds_until = std::min(result.holds_until, state.holds_until);
        if (state.next_change && (!result.next_change || *state.next_change < *result.next_change)) {
          result.next_change = state.next_change;
        }
        if (state.valid) {
          result.windows.push_back(
              {index, state.occurrence.has_value(), state.occurrence, is_exempt(policy_, index, standing_)});
        }
        continue;
      }
      const Schedule& schedule = policy_.windows()[index].schedule;
      if (schedule.valid_at(t)) {
        const std::optional<Occurrence> occurrence = schedule.occurrence_at(t);
        result.windows.push_back({index, occurrence.has_value(), occurrence, is_exempt(policy_, index, standing_)});
      }
    }
    judge(result);
    return result;
  }

  // The first instant after `evaluation`'s, up to `limit`, at which a
  // governing window changes.  With a memo, `evaluation` knows it already.
  std::optional<Instant> next_change_after(const Evaluation& evaluation, Instant t, Instant limit) const {
    if (memo_ != nullptr) {
      return evaluation.next_change;
    }
    std::optional<Instant> earliest;
    for (std::size_t index : governing_) {
      // The schedule looks before its limit: one second more lets it see a
      // change at `limit` itself, as the memo does.
      const std::optional<Instant> change = policy_.windows()[index].schedule.next_change_after(t, limit + seconds{1});
      if (change && (!earliest || *change < *earliest)) {
        earliest = change;
      }
    }
    return earliest;
  }

  // The first instant after `from`'s (at `t`), up to `limit`, at which the
  // evaluation's `blocked` equals `wanted`.
  std::optional<Instant> first_change_to(bool wanted, const Evaluation& from, Instant t, Instant limit) const {
    std::optional<Instant> next = next_change_after(from, t, limit);
    for (int step = 0; step < kMaxSteps; ++step) {
      if (!next || *next > limit) {
        return std::nullopt;
      }
      t = *next;
      const Evaluation then = at(t);
      if (then.blocked == wanted) {
        return t;
      }
      next = next_change_after(then, t, limit);
    }
    return std::nullopt;
  }

  // Bounds the walk through pathological schedules (a cron firing every
  // minute for seconds at a time); real policies change state a few times a day.
  static constexpr int kMaxSteps = 100000;

 private:
  // SPEC section 3, steps 2-4, over the windows' states at one instant.
  void judge(Evaluation& result) const {
    bool maintenance_applies = false;
    bool maintenance_active = false;
    std::vector<std::size_t> exempt_maintenance;
    for (const WindowStatus& status : result.windows) {
      if (policy_.windows()[status.window].type == WindowType::Blackout) {
        if (!status.active) {
          continue;
        }
        if (!status.exempt) {
          result.blocked = true;
          result.verdict = Verdict::BlockedByBlackout;
          result.blocking_window = status.window;
          result.bypassed.clear();
          return;
        }
        result.bypassed.push_back(status.window);
      } else {
        maintenance_applies = true;
        maintenance_active = maintenance_active || status.active;
        if (status.exempt) {
          exempt_maintenance.push_back(status.window);
        }
      }
    }
    if (maintenance_applies && !maintenance_active) {
      if (exempt_maintenance.empty()) {
        result.blocked = true;
        result.verdict = Verdict::OutsideMaintenance;
        result.bypassed.clear();
        return;
      }
      result.bypassed.insert(result.bypassed.end(), exempt_maintenance.begin(), exempt_maintenance.end());
    }
    if (!result.bypassed.empty()) {
      result.verdict = Verdict::ExemptFromBlock;
    } else if (maintenance_active) {
      result.verdict = Verdict::InsideMaintenance;
    }
  }

  const Policy& policy_;
  std::vector<std::size_t> governing_;
  Standing standing_;
  ScheduleMemo* memo_;
};

void describe_block(const Policy& policy, const Evaluator& evaluator, const Evaluation& now, const DecisionInput& input,
                    Decision& decision) {
  decision.blocked_until = evaluator.first_change_to(false, now, input.at, input.at + Schedule::kSearchHorizon);
  if (now.verdict == Verdict::BlockedByBlackout) {
    decision.deciding_window = now.blocking_window;
    for (const WindowStatus& status : decision.windows) {
      if (status.window == *now.blocking_window) {
        decision.deciding_occurrence = status.occurrence;
      }
    }
    return;
  }
  // Outside maintenance: name the maintenance window that opens when the block lifts.
  for (std::size_t index : evaluator.governing()) {
    const Window& window = policy.windows()[index];
    if (window.type != WindowType::Maintenance) {
      continue;
    }
    if (!decision.deciding_window) {
      decision.deciding_window = index;
    }
    if (decision.blocked_until) {
      if (auto occurrence = window.schedule.occurrence_at(*decision.blocked_until)) {
        decision.deciding_window = index;
        decision.deciding_occurrence = occurrence;
        return;
      }
    }
  }
}

}  // namespace

Decision decide(const Policy& policy, const DecisionInput& input, ScheduleMemo* memo) {
  Decision decision;
  if (policy.is_trusted(input.requester.username)) {
    decision.verdict = Verdict::Trusted;
    decision.holds_until = Instant::max();
    return decision;
  }
  std::vector<std::size_t> governing = policy.windows_for(input.subject);
  std::erase_if(governing, [&](std::size_t index) { return !policy.windows()[index].actions.contains(input.action); });
  const Evaluator evaluator(policy, std::move(governing), input.requester, memo);
  Evaluation now = evaluator.at(input.at);
  decision.allowed = !now.blocked;
  decision.verdict = now.verdict;
  decision.bypassed = std::move(now.bypassed);
  decision.windows = std::move(now.windows);
  // Until now.holds_until every walk through the windows' changes below visits
  // the same instants whatever instant it starts from; what a walk did not
  // find within its limit may come within it later.
  const Instant this_second_only = input.at + seconds{1};
  if (now.blocked) {
    describe_block(policy, evaluator, now, input, decision);
    decision.holds_until = decision.blocked_until ? now.holds_until : this_second_only;
    return decision;
  }
  decision.holds_until = now.holds_until;
  const minutes warn_before{policy.settings().warn_before_minutes};
  if (warn_before > minutes{0}) {
    const auto starts = evaluator.first_change_to(true, now, input.at, input.at + warn_before);
    if (!starts) {
      // A block can only start where a window changes: it comes within the
      // warning warn_before ahead of that.
      decision.holds_until = std::max(now.holds_until - warn_before, this_second_only);
    } else {
      const Evaluation later = evaluator.at(*starts);
      std::optional<std::size_t> window = later.blocking_window;
      for (std::size_t index : evaluator.governing()) {  // outside maintenance: the window that closes
        const Window& candidate = policy.windows()[index];
        if (!window && candidate.type == WindowType::Maintenance &&
            candidate.schedule.occurrence_at(*starts - seconds{1})) {
          window = index;
        }
      }
      decision.upcoming = UpcomingBlock{window.value_or(evaluator.governing().front()), *starts};
    }
  }
  return decision;
}

}  // namespace windowguard::core
