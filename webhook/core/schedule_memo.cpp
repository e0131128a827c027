#include "core/schedule_memo.hpp"

namespace windowguard::core {
namespace {

constexpr std::size_t kFirstTableSize = 16;

// Fibonacci hashing: consecutive window indices land far apart.
std::size_t slot_of(std::size_t window, std::size_t table_size) {
  return (window * 0x9E3779B97F4A7C15ULL) & (table_size - 1);
}

}  // namespace

ScheduleMemo::Spans& ScheduleMemo::spans_of(std::size_t window) {
  const auto find = [this](std::size_t wanted) -> Spans& {
    std::size_t slot = slot_of(wanted, table_.size());
    while (table_[slot].window != wanted && table_[slot].window != kNoWindow) {
      slot = (slot + 1) & (table_.size() - 1);
    }
    return table_[slot];
  };
  if (!table_.empty()) {
    if (Spans& found = find(window); found.window == window) {
      return found;
    }
  }
  if (2 * (used_ + 1) > table_.size()) {
    std::vector<Spans> old = std::move(table_);
    table_.assign(old.empty() ? kFirstTableSize : 2 * old.size(), Spans{});
    for (const Spans& spans : old) {
      if (spans.window != kNoWindow) {
        find(spans.window) = spans;
      }
    }
  }
  Spans& fresh = find(window);
  fresh.window = window;
  ++used_;
  return fresh;
}

const ScheduleMemo::State& ScheduleMemo::state(const Policy& policy, std::size_t window, Instant t,
                                               EvaluationCost& cost) {
  if (&policy != policy_) {
    policy_ = &policy;
    table_.clear();
    used_ = 0;
  }
  Spans& known = spans_of(window);
  for (const Span& span : known.spans) {
    if (span.from <= t && t < span.state.holds_until) {
      return span.state;
    }
  }
  Span& span = known.spans[known.next];
  known.next = (known.next + 1) % kSpansPerWindow;
  span.state = policy.windows()[window].schedule.state_at(t, cost);
  span.from = t;
  return span.state;
}

}  // namespace windowguard::core
