#include "core/labels.hpp"

#include <algorithm>

namespace windowguard::core {
namespace {

std::optional<std::string_view> find_label(Labels labels, std::string_view key) {
  for (const Label& label : labels) {
    if (label.key == key) {
      return label.value;
    }
  }
  return std::nullopt;
}

bool requirement_holds(const LabelRequirement& requirement, Labels labels) {
  const std::optional<std::string_view> value = find_label(labels, requirement.key);
  const auto listed = [&] {
    return value && std::find(requirement.values.begin(), requirement.values.end(), *value) != requirement.values.end();
  };
  switch (requirement.op) {
    case LabelRequirement::Operator::In:
      return listed();
    case LabelRequirement::Operator::NotIn:
      return !listed();
    case LabelRequirement::Operator::Exists:
      return value.has_value();
    case LabelRequirement::Operator::DoesNotExist:
      return !value.has_value();
  }
  return false;
}

}  // namespace

bool LabelSelector::matches(Labels labels) const {
  for (const auto& [key, expected] : match_labels) {
    if (find_label(labels, key) != std::optional<std::string_view>(expected)) {
      return false;
    }
  }
  return std::all_of(match_expressions.begin(), match_expressions.end(),
                     [&](const LabelRequirement& requirement) { return requirement_holds(requirement, labels); });
}

}  // namespace windowguard::core
