#include "core/binding_index.hpp"

#include <algorithm>

#include "core/glob.hpp"

namespace windowguard::core {
void sort_unique(std::vector<std::size_t>& indices) {
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
}

std::optional<std::string> namespace_pattern(std::string_view environment_pattern, std::string_view cluster_name) {
  const auto slash = environment_pattern.find('/');
  if (slash == std::string_view::npos) {
    return std::string(environment_pattern);
  }
  if (cluster_name.empty() || !glob_matches(std::string(environment_pattern.substr(0, slash)), cluster_name)) {
    return std::nullopt;
  }
  return std::string(environment_pattern.substr(slash + 1));
}

bool names_environment(std::span<const std::string> patterns, std::string_view namespace_name,
                       std::string_view cluster_name) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
    if (pattern.find('/') == std::string::npos) {
      return glob_matches(pattern, namespace_name);  // the common case, without a copy
    }
    const std::optional<std::string> glob = namespace_pattern(pattern, cluster_name);
    return glob && glob_matches(*glob, namespace_name);
  });
}

BindingIndex::BindingIndex(std::vector<Binding> bindings, std::string_view cluster_name)
    : bindings_(std::move(bindings)) {
  for (std::size_t index = 0; index < bindings_.size(); ++index) {
    if (bindings_[index].namespace_selector) {
      namespace_selector_bindings_.push_back(index);
    }
    for (const std::string& pattern : bindings_[index].environments) {
      // Resolved here, once, against this cluster's name.
      std::optional<std::string> resolved = namespace_pattern(pattern, cluster_name);
      if (!resolved) {
        continue;
      }
      std::string& namespace_glob = *resolved;
      const std::size_t prefix_length = literal_prefix_length(namespace_glob);
      if (prefix_length == std::string::npos) {
        const Binding& binding = bindings_[index];
        NamespaceBindings& listed = bindings_by_namespace_[namespace_glob];
        if (binding.applications.empty() && !binding.selector) {
          listed.unconditional_windows.insert(listed.unconditional_windows.end(), binding.windows.begin(),
                                              binding.windows.end());
        } else if (listed.conditional_bindings.empty() || listed.conditional_bindings.back() != index) {
          listed.conditional_bindings.push_back(index);
        }
      } else {
        std::string prefix = namespace_glob.substr(0, prefix_length);
        globs_by_prefix_[std::move(prefix)].push_back({std::move(namespace_glob), index});
        glob_prefix_lengths_.push_back(prefix_length);
      }
    }
  }
  for (auto& [name, listed] : bindings_by_namespace_) {
    sort_unique(listed.unconditional_windows);
  }
  sort_unique(glob_prefix_lengths_);
}

bool BindingIndex::binding_applies(const Binding& binding, const Subject& subject) const {
  if (subject.whole_environment) {
    return true;
  }
  if (!binding.applications.empty() &&
      std::none_of(binding.applications.begin(), binding.applications.end(),
                   [&](const std::string& pattern) { return glob_matches(pattern, subject.application); })) {
    return false;
  }
  return !binding.selector || binding.selector->matches(subject.labels);
}

std::vector<std::size_t> BindingIndex::windows_for(const Subject& subject) const {
  std::vector<std::size_t> result;
  const auto take = [&](std::size_t binding_index) {
    const Binding& binding = bindings_[binding_index];
    if (binding_applies(binding, subject)) {
      result.insert(result.end(), binding.windows.begin(), binding.windows.end());
    }
  };
  std::size_t already_sorted = 0;
  if (const auto found = bindings_by_namespace_.find(subject.environment); found != bindings_by_namespace_.end()) {
    result = found->second.unconditional_windows;
    already_sorted = result.size();
    for (std::size_t binding_index : found->second.conditional_bindings) {
      take(binding_index);
    }
  }
  for (std::size_t prefix_length : glob_prefix_lengths_) {
    if (prefix_length > subject.environment.size()) {
      break;
    }
    const auto found = globs_by_prefix_.find(subject.environment.substr(0, prefix_length));
    if (found == globs_by_prefix_.end()) {
      continue;
    }
    for (const GlobBinding& glob : found->second) {
      if (glob_matches(glob.namespace_pattern, subject.environment)) {
        take(glob.binding);
      }
    }
  }
  for (std::size_t binding_index : namespace_selector_bindings_) {
    if (bindings_[binding_index].namespace_selector->matches(subject.namespace_labels)) {
      take(binding_index);
    }
  }
  if (result.size() > already_sorted) {
    sort_unique(result);
  }
  return result;
}

}  // namespace windowguard::core
