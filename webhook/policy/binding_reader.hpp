#pragma once
// A policy's `bindings` entries: which windows apply to which environments,
// applications and labels (docs/policy.md, "Bindings").
#include <optional>

#include "policy/policy_documents.hpp"
#include "policy/yaml_reader.hpp"

namespace windowguard::policy {

struct BindingReading {
  std::vector<PlacedName> references;        // the windows it names, readable or not
  std::optional<BindingDefinition> binding;  // when the entry has no problem
};

BindingReading read_binding(YamlReader& reader, const YAML::Node& node);

}  // namespace windowguard::policy
