#include "core/decision.hpp"

#include <algorithm>

#include "core/exemption_index.hpp"

namespace windowguard::core {
namespace {

// One governing window as a walk sees it: its state at the last instant it
// was read.  Between reads only its activity is trusted, which holds until
// state.activity_holds_until.
struct WindowView {
  std::size_t window;
  bool blackout;
  bool exempt;
  ScheduleState state;

  bool active() const { return state.occurrence.has_value(); }
};

// Steps 2-4 of docs/policy.md "How a request is decided", over the windows'
// states at one instant.
struct Judgement {
  bool blocked = false;
  Verdict verdict = Verdict::Unrestricted;
  std::optional<std::size_t> blocking_window;
};

Judgement judge(const std::vector<WindowView>& views, std::vector<std::size_t>* bypassed) {
  Judgement result;
  bool maintenance_applies = false;
  bool maintenance_active = false;
  bool exempt_from_maintenance = false;
  const auto bypass = [&](std::size_t window) {
    if (bypassed != nullptr) {
      bypassed->push_back(window);
    }
  };
  for (const WindowView& view : views) {
    if (!view.state.valid) {
      continue;
    }
    if (view.blackout) {
      if (!view.active()) {
        continue;
      }
      if (!view.exempt) {
        result.blocked = true;
        result.verdict = Verdict::BlockedByBlackout;
        result.blocking_window = view.window;
        if (bypassed != nullptr) {
          bypassed->clear();
        }
        return result;
      }
      bypass(view.window);
    } else {
      maintenance_applies = true;
      maintenance_active = maintenance_active || view.active();
      exempt_from_maintenance = exempt_from_maintenance || view.exempt;
    }
  }
  if (maintenance_applies && !maintenance_active) {
    if (!exempt_from_maintenance) {
      result.blocked = true;
      result.verdict = Verdict::OutsideMaintenance;
      if (bypassed != nullptr) {
        bypassed->clear();
      }
      return result;
    }
    for (const WindowView& view : views) {
      if (view.state.valid && !view.blackout && view.exempt) {
        bypass(view.window);
      }
    }
  }
  if (bypassed != nullptr && !bypassed->empty()) {
    result.verdict = Verdict::ExemptFromBlock;
  } else if (maintenance_active) {
    result.verdict = Verdict::InsideMaintenance;
  }
  return result;
}

// Where a walk through the windows' changes ended: at what it looked for
// (Found), past its limit (BeyondHorizon; for the warning's look-ahead, no
// block within warnBeforeMinutes), or at its budget (BeyondBudget).
struct WalkResult {
  BlockEnd end = BlockEnd::Found;
  Instant at;           // Found: the instant
  Judgement judgement;  // Found: the judgement there
};

// Reads the governing windows' states through one schedule memo, and walks
// through their changes in time order.  Each walk reads a window again only
// once its activity may have changed, jumps over what cannot end a block, and
// stops at its limit or after kMostWindowChanges reads.
class Walker {
 public:
  // `lifted`, ascending: the windows that exceptions in force lift for the requester.
  Walker(const Policy& policy, const Requester& requester, std::vector<std::size_t> lifted, ScheduleMemo& memo,
         EvaluationCost& cost)
      : policy_(policy),
        standing_(policy.exemptions().standing_of(requester.username, requester.groups)),
        lifted_(std::move(lifted)),
        memo_(memo),
        cost_(cost) {}

  bool exempt_by_policy(std::size_t window) const { return policy_.exemptions().exempts(window, standing_); }

  std::vector<WindowView> read(const std::vector<std::size_t>& governing, Instant t) {
    std::vector<WindowView> views;
    views.reserve(governing.size());
    for (std::size_t index : governing) {
      const Window& window = policy_.windows()[index];
      const bool exempt = exempt_by_policy(index) || std::binary_search(lifted_.begin(), lifted_.end(), index);
      views.push_back({index, window.type == WindowType::Blackout, exempt, read_state(index, t)});
    }
    return views;
  }

  // The first instant from `t` up to `limit` at which the requester is not blocked.
  WalkResult first_unblocked(std::vector<WindowView> views, Instant t, Instant limit) {
    std::size_t reads = 0;
    for (;;) {
      const Judgement judgement = judge(views, nullptr);
      if (!judgement.blocked) {
        return {BlockEnd::Found, t, judgement};
      }
      // Under a blackout nothing lifts the block before every active blackout
      // ends; outside maintenance, nothing but a maintenance window's change.
      Instant next = judgement.verdict == Verdict::BlockedByBlackout ? t : Instant::max();
      for (const WindowView& view : views) {
        if (judgement.verdict == Verdict::BlockedByBlackout && view.blackout && view.active() && !view.exempt) {
          next = std::max(next, view.state.activity_holds_until);
        } else if (judgement.verdict == Verdict::OutsideMaintenance && !view.blackout) {
          next = std::min(next, view.state.activity_holds_until);
        }
      }
      if (auto stop = step_to(views, next, limit, reads)) {
        return *stop;
      }
      t = next;
    }
  }

  // The first instant after `t` up to `limit` (inclusive) at which the requester is blocked.
  WalkResult first_blocked(std::vector<WindowView> views, Instant t, Instant limit) {
    std::size_t reads = 0;
    for (;;) {
      Instant next = Instant::max();
      for (const WindowView& view : views) {
        next = std::min(next, view.state.activity_holds_until);
      }
      if (auto stop = step_to(views, next, limit, reads)) {
        return *stop;
      }
      t = next;
      if (const Judgement judgement = judge(views, nullptr); judgement.blocked) {
        return {BlockEnd::Found, t, judgement};
      }
    }
  }

 private:
  ScheduleState read_state(std::size_t window, Instant t) {
    ++cost_.window_changes;
    return memo_.state(policy_, window, t, cost_);
  }

  // Moves a walk to `t`, reading again the windows whose activity may have
  // changed by then; says why the walk stops there, if it does: `t` is past
  // its limit, or reading would pass its budget.
  std::optional<WalkResult> step_to(std::vector<WindowView>& views, Instant t, Instant limit, std::size_t& reads) {
    if (t > limit) {
      return WalkResult{BlockEnd::BeyondHorizon, t, {}};
    }
    for (WindowView& view : views) {
      if (view.state.activity_holds_until <= t) {
        if (reads == kMostWindowChanges) {
          return WalkResult{BlockEnd::BeyondBudget, t, {}};
        }
        ++reads;
        view.state = read_state(view.window, t);
      }
    }
    return std::nullopt;
  }

  const Policy& policy_;
  ExemptionIndex::Standing standing_;
  std::vector<std::size_t> lifted_;
  ScheduleMemo& memo_;
  EvaluationCost& cost_;
};

void describe_block(const Policy& policy, const std::vector<std::size_t>& governing, const Judgement& now,
                    const WalkResult& end, Decision& decision) {
  decision.block_end = end.end;
  if (end.end == BlockEnd::Found) {
    decision.blocked_until = end.at;
  }
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
  for (std::size_t index : governing) {
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

std::vector<std::size_t> lifted_windows(const ExceptionGrants& grants) {
  std::vector<std::size_t> lifted;
  for (const ExceptionGrant& grant : grants.in_force) {
    lifted.insert(lifted.end(), grant.windows.begin(), grant.windows.end());
  }
  std::sort(lifted.begin(), lifted.end());
  lifted.erase(std::unique(lifted.begin(), lifted.end()), lifted.end());
  return lifted;
}

// The exceptions that let the requester pass a bypassed window the policy
// does not exempt them from, each with those windows only, and a warning when
// the first of them ends within warn_before while its window still blocks.
void record_exceptions(const Policy& policy, const Walker& walker, ExceptionGrants& grants, Instant warn_until,
                       Decision& decision) {
  for (ExceptionGrant& grant : grants.in_force) {
    std::erase_if(grant.windows, [&](std::size_t window) {
      return walker.exempt_by_policy(window) ||
             std::find(decision.bypassed.begin(), decision.bypassed.end(), window) == decision.bypassed.end();
    });
    if (grant.windows.empty()) {
      continue;
    }
    if (grant.until <= warn_until && (!decision.upcoming || grant.until < decision.upcoming->starts)) {
      for (std::size_t window : grant.windows) {
        const Window& lifted = policy.windows()[window];
        const bool open_then = lifted.schedule.occurrence_at(grant.until).has_value();
        if (lifted.type == WindowType::Blackout ? open_then : !open_then) {
          decision.upcoming = UpcomingBlock{window, grant.until};
          break;
        }
      }
    }
    decision.exceptions.push_back(std::move(grant));
  }
}

}  // namespace

Decision decide(const Policy& policy, const DecisionInput& input, ScheduleMemo* memo) {
  Decision decision;
  if (policy.exemptions().is_trusted(input.requester.username)) {
    decision.verdict = Verdict::Trusted;
    decision.holds_until = Instant::max();
    return decision;
  }
  std::vector<std::size_t> governing = policy.windows_for(input.subject);
  std::erase_if(governing, [&](std::size_t index) { return !policy.windows()[index].actions.contains(input.action); });
  ExceptionGrants grants;
  if (!governing.empty()) {
    grants = grants_for(policy, input.exceptions,
                        {input.action, input.subject.environment, input.subject.application,
                         input.subject.whole_environment, input.requester.username, input.requester.groups, input.at});
  }
  ScheduleMemo own_memo;
  Walker walker(policy, input.requester, lifted_windows(grants), memo != nullptr ? *memo : own_memo, decision.cost);
  std::vector<WindowView> views = walker.read(governing, input.at);
  const Judgement now = judge(views, &decision.bypassed);
  decision.allowed = !now.blocked;
  decision.verdict = now.verdict;
  Instant now_holds_until = grants.changes_at;
  decision.windows.reserve(views.size());
  for (const WindowView& view : views) {
    now_holds_until = std::min(now_holds_until, view.state.holds_until);
    if (view.state.valid) {
      decision.windows.push_back({view.window, view.active(), view.state.occurrence, view.exempt});
    }
  }
  // Until now_holds_until every walk through the windows' changes below
  // visits the same instants whatever instant it starts from; what a walk did
  // not find within its limit may come within it later.
  const Instant this_second_only = input.at + seconds{1};
  if (now.blocked) {
    const WalkResult end = walker.first_unblocked(views, input.at, input.at + Schedule::kSearchHorizon);
    describe_block(policy, governing, now, end, decision);
    decision.holds_until = decision.blocked_until ? now_holds_until : this_second_only;
    return decision;
  }
  decision.holds_until = now_holds_until;
  const minutes warn_before{policy.settings().warn_before_minutes};
  if (warn_before > minutes{0}) {
    const WalkResult block = walker.first_blocked(std::move(views), input.at, input.at + warn_before);
    if (block.end == BlockEnd::BeyondHorizon) {
      // A block can only start where a window changes: it comes within the
      // warning warn_before ahead of that.
      decision.holds_until = std::max(now_holds_until - warn_before, this_second_only);
    } else if (block.end == BlockEnd::BeyondBudget) {
      decision.holds_until = this_second_only;
    } else {
      std::optional<std::size_t> window = block.judgement.blocking_window;
      for (std::size_t index : governing) {  // outside maintenance: the window that closes
        const Window& candidate = policy.windows()[index];
        if (!window && candidate.type == WindowType::Maintenance &&
            candidate.schedule.occurrence_at(block.at - seconds{1})) {
          window = index;
        }
      }
      decision.upcoming = UpcomingBlock{window.value_or(governing.front()), block.at};
    }
  }
  record_exceptions(policy, walker, grants, input.at + warn_before, decision);
  return decision;
}

}  // namespace windowguard::core
