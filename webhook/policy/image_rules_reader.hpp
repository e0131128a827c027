#pragma once
// A policy's `approvals:` and `imagePolicies:` entries (docs/approvals.md).
#include <optional>

#include "core/images/image_rules.hpp"
#include "policy/policy_documents.hpp"
#include "policy/yaml_reader.hpp"

namespace windowguard::policy {

template <typename Rule>
struct RuleReading {
  std::optional<PlacedName> name;
  std::optional<Rule> rule;  // when the entry has no problem
};

RuleReading<core::ApprovalRule> read_approval_rule(YamlReader& reader, const YAML::Node& node);
RuleReading<core::ImagePolicy> read_image_policy(YamlReader& reader, const YAML::Node& node);

}  // namespace windowguard::policy
