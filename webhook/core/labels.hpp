#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace windowguard::core {

struct Label {
  std::string_view key;
  std::string_view value;
};
using Labels = std::span<const Label>;

// A Kubernetes label selector: matchLabels and matchExpressions, all ANDed.
struct LabelRequirement {
  enum class Operator { In, NotIn, Exists, DoesNotExist };
  std::string key;
  Operator op;
  std::vector<std::string> values;
};

struct LabelSelector {
  std::vector<std::pair<std::string, std::string>> match_labels;
  std::vector<LabelRequirement> match_expressions;

  bool matches(Labels labels) const;
};

}  // namespace windowguard::core
