#pragma once
// A policy's `windows` entries: name, type, zone, validity, durations,
// exemptions, actions, message and exceptions (docs/policy.md, "Windows").
#include <optional>

#include "core/policy.hpp"
#include "policy/calendar_reader.hpp"
#include "policy/policy_documents.hpp"
#include "policy/yaml_reader.hpp"

namespace windowguard::policy {

struct WindowReading {
  std::optional<PlacedName> name;          // when the entry names its window
  std::optional<WindowDefinition> window;  // when the entry has no problem
};

// `calendars`: the iCalendar files of the directory, for `calendar:`
// durations and `except:` entries.
WindowReading read_window(YamlReader& reader, CalendarFiles& calendars, const YAML::Node& node);

// Shapes that exceptions share with windows.  Each reports its problems and
// returns what it could read.
// {superAdmins, users, groups}; `super_admins` is the default.
core::People read_people(YamlReader& reader, const YAML::Node& node, const std::string& what, bool super_admins);
// A list of action names.
core::ActionSet read_actions(YamlReader& reader, const YAML::Node& node, const std::string& what);
// A window's `exceptions:` block.
core::ExceptionRule read_exception_rule(YamlReader& reader, const YAML::Node& node, const std::string& what);

}  // namespace windowguard::policy
