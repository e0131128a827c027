#include "core/decision_memo.hpp"

#include <algorithm>
#include <functional>
#include <string_view>

namespace windowguard::core {
namespace {

std::size_t hash_of(const DecisionInput& input) {
  std::size_t hash = static_cast<std::size_t>(input.action) * 2 + (input.subject.whole_environment ? 1 : 0);
  const auto mix = [&hash](std::string_view text) { hash = hash * 31 + std::hash<std::string_view>{}(text); };
  mix(input.subject.environment);
  mix(input.subject.application);
  mix(input.requester.username);
  for (std::string_view group : input.requester.groups) {
    mix(group);
  }
  for (const Label& label : input.subject.labels) {
    mix(label.key);
    mix(label.value);
  }
  return hash;
}

}  // namespace

bool DecisionMemo::Key::matches(const DecisionInput& input) const {
  const Subject& subject = input.subject;
  return action == input.action && whole_environment == subject.whole_environment &&
         environment == subject.environment && application == subject.application &&
         username == input.requester.username &&
         std::equal(groups.begin(), groups.end(), input.requester.groups.begin(), input.requester.groups.end()) &&
         std::equal(labels.begin(), labels.end(), subject.labels.begin(), subject.labels.end(),
                    [](const auto& owned, const Label& label) {
                      return owned.first == label.key && owned.second == label.value;
                    });
}

void DecisionMemo::Key::assign(const DecisionInput& input) {
  action = input.action;
  environment = input.subject.environment;
  application = input.subject.application;
  labels.clear();
  for (const Label& label : input.subject.labels) {
    labels.emplace_back(label.key, label.value);
  }
  whole_environment = input.subject.whole_environment;
  username = input.requester.username;
  groups.assign(input.requester.groups.begin(), input.requester.groups.end());
  at = input.at;
}

std::shared_ptr<const Decision> DecisionMemo::decide(const Policy& policy, const DecisionInput& input) {
  if (&policy != policy_) {
    policy_ = &policy;
    for (Entry& entry : entries_) {
      entry.decision.reset();
    }
  }
  Entry& entry = entries_[hash_of(input) % entries_.size()];
  if (!entry.decision || input.at < entry.key.at || input.at >= entry.decision->holds_until ||
      !entry.key.matches(input)) {
    entry.decision.reset();  // stays so if deciding or copying the key throws
    auto decision = std::make_shared<const Decision>(core::decide(policy, input, &schedules_));
    entry.key.assign(input);
    entry.decision = std::move(decision);
  }
  return entry.decision;
}

}  // namespace windowguard::core
