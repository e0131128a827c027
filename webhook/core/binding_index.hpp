#pragma once
// Which windows are bound to a subject, found without looking at every
// binding: literal namespaces are looked up, globs grouped by their literal
// prefix.  Built once with the policy, which holds it.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/policy.hpp"

namespace windowguard::core {

// The namespace glob of an environment pattern ("payments-*", or
// "cluster-glob/payments-*" for this cluster only); nullopt when the pattern
// names other clusters.
std::optional<std::string> namespace_pattern(std::string_view environment_pattern, std::string_view cluster_name);

// Sorts indices ascending and drops repeats.
void sort_unique(std::vector<std::size_t>& indices);

// Whether one of the environment patterns names the namespace here.
bool names_environment(std::span<const std::string> patterns, std::string_view namespace_name,
                       std::string_view cluster_name);

class BindingIndex {
 public:
  // `cluster_name` resolves "cluster/namespace" patterns, once.
  BindingIndex(std::vector<Binding> bindings, std::string_view cluster_name);

  const std::vector<Binding>& bindings() const { return bindings_; }

  // Indices of the windows bound to the subject, ascending and without
  // repeats.  Costs in proportion to the bindings that can match the
  // subject's environment, not to the size of the policy.
  std::vector<std::size_t> windows_for(const Subject& subject) const;
  bool selects_namespaces() const { return !namespace_selector_bindings_.empty(); }

 private:
  bool binding_applies(const Binding& binding, const Subject& subject) const;

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  // The bindings that name one namespace literally.  The windows of those
  // without applications or selector apply to every request there: they are
  // merged once, here, instead of on every request.
  struct NamespaceBindings {
    std::vector<std::size_t> unconditional_windows;  // ascending, without repeats
    std::vector<std::size_t> conditional_bindings;   // with applications or a selector
  };
  struct GlobBinding {
    std::string namespace_pattern;
    std::size_t binding;
  };

  std::vector<Binding> bindings_;
  std::unordered_map<std::string, NamespaceBindings, StringHash, std::equal_to<>> bindings_by_namespace_;
  // Glob patterns grouped by their literal prefix ("prod-" for "prod-*"), so
  // that a namespace is matched only against globs that can match it.
  std::unordered_map<std::string, std::vector<GlobBinding>, StringHash, std::equal_to<>> globs_by_prefix_;
  std::vector<std::size_t> glob_prefix_lengths_;  // ascending, distinct
  // Bindings with a namespaceSelector: few, each tried on every request.
  std::vector<std::size_t> namespace_selector_bindings_;
};

}  // namespace windowguard::core
