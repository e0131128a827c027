#pragma once
// A policy's `settings` block (docs/policy.md, "Settings").
#include <optional>

#include "core/policy.hpp"
#include "policy/yaml_reader.hpp"

namespace windowguard::policy {

// `first_block` is where an earlier settings block is, if any: a policy has
// one; the first mapping read sets it.
std::optional<core::Settings> read_settings(YamlReader& reader, const YAML::Node& node,
                                            std::optional<Location>& first_block);

}  // namespace windowguard::policy
