#include "policy/policy_compiler.hpp"

#include <cassert>
#include <map>
#include <string_view>

#include "policy/yaml_reader.hpp"

namespace windowguard::policy {

namespace {

void check_unique(const std::vector<PlacedName>& names, std::string_view kind, Problems& problems) {
  std::map<std::string_view, const PlacedName*, std::less<>> by_name;
  for (const PlacedName& name : names) {
    const auto [existing, inserted] = by_name.emplace(name.name, &name);
    if (!inserted) {
      problems.push_back({name.where, std::string(kind) + " name " + in_quotes(name.name) + " is already used at " +
                                          existing->second->where.to_string()});
    }
  }
}

}  // namespace

Result<LoadedPolicy, Problems> compile_policy(const PolicyDocuments& documents, Problems problems) {
  std::map<std::string, std::size_t, std::less<>> index_by_name;
  for (std::size_t i = 0; i < documents.window_names.size(); ++i) {
    const PlacedName& window = documents.window_names[i];
    const auto [existing, inserted] = index_by_name.emplace(window.name, i);
    if (!inserted) {
      problems.push_back({window.where, "window name " + in_quotes(window.name) + " is already used at " +
                                            documents.window_names[existing->second].where.to_string() +
                                            "; window names must be unique across the policy directory"});
    }
  }
  std::vector<std::string_view> known_names;
  known_names.reserve(index_by_name.size());
  for (const auto& entry : index_by_name) {
    known_names.push_back(entry.first);
  }
  const auto check_references = [&](const std::vector<PlacedName>& references, std::string_view referrer) {
    for (const PlacedName& reference : references) {
      if (!index_by_name.contains(reference.name)) {
        problems.push_back({reference.where, std::string(referrer) + " refers to unknown window " +
                                                 in_quotes(reference.name) + suggestion(reference.name, known_names)});
      }
    }
  };
  check_references(documents.window_references, "binding");
  check_references(documents.exception_window_references, "exception");
  check_unique(documents.exception_names, "exception", problems);
  check_unique(documents.approval_rule_names, "approvals rule", problems);
  check_unique(documents.image_policy_names, "image policy", problems);
  if (!problems.empty()) {
    return problems;
  }
  // Without problems every named window was readable: window_names and
  // windows are the same list.
  assert(documents.window_names.size() == documents.windows.size());
  // What the policy keeps is copied, not moved, out of the definitions: the
  // copies are allocated together now that the parser's garbage is freed,
  // while the originals lie scattered among it and would keep its pages
  // resident (docs/performance.md, "Memory").
  std::vector<core::Binding> bindings;
  bindings.reserve(documents.bindings.size());
  for (const BindingDefinition& definition : documents.bindings) {
    core::Binding binding{
        {}, definition.environments, definition.applications, definition.selector, definition.namespace_selector};
    for (const PlacedName& reference : definition.windows) {
      binding.windows.push_back(index_by_name.find(reference.name)->second);
    }
    bindings.push_back(std::move(binding));
  }
  LoadedPolicy loaded;
  loaded.window_locations.reserve(documents.window_names.size());
  for (const PlacedName& name : documents.window_names) {
    loaded.window_locations.push_back(name.where);
  }
  for (const PlacedName& name : documents.approval_rule_names) {
    loaded.approval_rule_locations.push_back(name.where);
  }
  std::vector<core::Window> windows;
  windows.reserve(documents.windows.size());
  for (const WindowDefinition& definition : documents.windows) {
    windows.push_back(core::Window{definition.name, definition.description, definition.type,
                                   core::Schedule(definition.zone, definition.recurrences, definition.valid_from,
                                                  definition.valid_until, definition.excluded_days),
                                   definition.exempt, definition.actions, definition.message, definition.exceptions});
  }
  loaded.policy = std::make_shared<const core::Policy>(std::move(windows), std::move(bindings),
                                                       documents.settings.value_or(core::Settings{}),
                                                       documents.exceptions, documents.image_rules);
  return loaded;
}

}  // namespace windowguard::policy
