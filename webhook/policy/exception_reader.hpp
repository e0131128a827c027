#pragma once
// A policy's `exceptions:` entries: static exceptions, reviewed in git and in
// force from `from` to `until` without approvals (docs/exceptions.md).
#include <optional>
#include <vector>

#include "core/exceptions/window_exception.hpp"
#include "policy/policy_documents.hpp"
#include "policy/yaml_reader.hpp"

namespace windowguard::policy {

struct StaticExceptionReading {
  std::optional<PlacedName> name;
  std::vector<PlacedName> windows;                 // its references, for the compile step
  std::optional<core::StaticException> exception;  // when the entry has no problem
};

StaticExceptionReading read_static_exception(YamlReader& reader, const YAML::Node& node);

}  // namespace windowguard::policy
