#include "core/decision_memo.hpp"

#include <algorithm>
#include <functional>
#include <string_view>

namespace windowguard::core {
namespace {

// The texts of an input that its decision depends on, in the order a Key
// holds them: the environment, the application and the username, then each
// group, then each label's key and value, then each namespace label's.
template <typename Visit>
void for_each_text(const DecisionInput& input, Visit&& visit) {
  visit(input.subject.environment);
  visit(input.subject.application);
  visit(input.requester.username);
  for (std::string_view group : input.requester.groups) {
    visit(group);
  }
  for (const Label& label : input.subject.labels) {
    visit(label.key);
    visit(label.value);
  }
  for (const Label& label : input.subject.namespace_labels) {
    visit(label.key);
    visit(label.value);
  }
}

std::size_t text_count(const DecisionInput& input) {
  return 3 + input.requester.groups.size() + 2 * (input.subject.labels.size() + input.subject.namespace_labels.size());
}

std::size_t hash_of(const DecisionInput& input) {
  std::size_t hash = static_cast<std::size_t>(input.action) * 2 + (input.subject.whole_environment ? 1 : 0);
  for_each_text(input, [&hash](std::string_view text) { hash = hash * 31 + std::hash<std::string_view>{}(text); });
  return hash;
}

}  // namespace

bool DecisionMemo::Key::operator==(const DecisionInput& input) const {
  if (action != input.action || whole_environment != input.subject.whole_environment ||
      groups != input.requester.groups.size() || labels != input.subject.labels.size() ||
      texts.size() != text_count(input)) {
    return false;
  }
  std::size_t next = 0;
  bool same = true;
  for_each_text(input, [&](std::string_view text) { same = same && texts[next++] == text; });
  return same;
}

void DecisionMemo::Key::assign(const DecisionInput& input) {
  action = input.action;
  whole_environment = input.subject.whole_environment;
  groups = input.requester.groups.size();
  labels = input.subject.labels.size();
  texts.resize(text_count(input));
  std::size_t next = 0;
  for_each_text(input, [&](std::string_view text) { texts[next++].assign(text); });
}

std::shared_ptr<const Decision> DecisionMemo::decide(const Policy& policy, const DecisionInput& input) {
  const std::uint64_t book = input.exceptions != nullptr ? input.exceptions->identity() : 0;
  return decisions_.find_or_make(policy.identity(), book, input, hash_of(input), input.at,
                                 [&] { return core::decide(policy, input, &schedules_); });
}

}  // namespace windowguard::core
