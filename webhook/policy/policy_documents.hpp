#pragma once
// What the readers make of policy documents, before the compile step
// resolves names across files.  Every value here is complete: a reader that
// found a problem reports it and returns no value.
#include <optional>
#include <string>
#include <vector>

#include "core/policy.hpp"
#include "core/result.hpp"

namespace windowguard::policy {

// A window's name where it is defined, and a binding's reference to one: kept
// for entries with problems too, so that one run reports every duplicate and
// unknown name, and a binding to a broken window is not also reported as
// naming an unknown one.
struct PlacedName {
  Location where;
  std::string name;
};

// A window as written.  The compile step makes its Schedule, once every
// file's YAML is freed, so that what the policy keeps is allocated together
// rather than among the parser's garbage (docs/performance.md, "Memory").
struct WindowDefinition {
  std::string name;
  std::string description;
  core::WindowType type = core::WindowType::Blackout;
  core::TimeZone zone;
  std::vector<core::Recurrence> recurrences;
  std::vector<core::LocalDay> excluded_days;  // `except:`, in the window's zone
  std::optional<core::LocalTime> valid_from;
  std::optional<core::LocalTime> valid_until;
  core::Exemptions exempt;
  core::ActionSet actions = core::ActionSet::all();
  std::string message;
  std::optional<core::ExceptionRule> exceptions;
};

// A binding as written: its windows by name.
struct BindingDefinition {
  std::vector<PlacedName> windows;
  std::vector<std::string> environments;
  std::vector<std::string> applications;
  std::optional<core::LabelSelector> selector;
  std::optional<core::LabelSelector> namespace_selector = std::nullopt;
};

// Everything read from all files, in file and document order.
struct PolicyDocuments {
  std::vector<PlacedName> window_names;       // every named window, readable or not
  std::vector<WindowDefinition> windows;      // the readable ones
  std::vector<PlacedName> window_references;  // by every binding, readable or not
  std::vector<BindingDefinition> bindings;    // the readable ones
  std::optional<Location> settings_where;     // the first settings block, readable or not
  std::optional<core::Settings> settings;
  std::vector<PlacedName> exception_names;              // every named static exception, readable or not
  std::vector<PlacedName> exception_window_references;  // by every static exception, readable or not
  std::vector<core::StaticException> exceptions;        // the readable ones
  std::vector<PlacedName> approval_rule_names;          // every named approvals rule, readable or not
  std::vector<PlacedName> image_policy_names;           // every named image policy, readable or not
  core::ImageRules image_rules;                         // the readable ones
};

}  // namespace windowguard::policy
