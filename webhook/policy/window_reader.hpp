#pragma once
// A policy's `windows` entries: name, type, zone, validity, durations,
// exemptions, actions and message (docs/policy.md, "Windows").
#include <optional>

#include "core/policy.hpp"
#include "policy/policy_documents.hpp"
#include "policy/yaml_reader.hpp"

namespace windowguard::policy {

struct WindowReading {
  std::optional<PlacedName> name;          // when the entry names its window
  std::optional<WindowDefinition> window;  // when the entry has no problem
};

WindowReading read_window(YamlReader& reader, const YAML::Node& node);

}  // namespace windowguard::policy
