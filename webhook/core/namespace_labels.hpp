#pragma once
// Every namespace's labels at one moment, for bindings with a
// namespaceSelector.  Immutable once built: the cluster adapter publishes a
// new one for each change, and the decision memo keys on the labels it hands
// out.
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/labels.hpp"

namespace windowguard::core {

class NamespaceLabels {
 public:
  using Owned = std::vector<std::pair<std::string, std::string>>;

  NamespaceLabels() = default;
  explicit NamespaceLabels(std::unordered_map<std::string, Owned> labels);
  NamespaceLabels(const NamespaceLabels&) = delete;
  NamespaceLabels& operator=(const NamespaceLabels&) = delete;

  // The namespace's labels (empty for one not known), valid while this lives.
  Labels of(std::string_view namespace_name) const;
  std::size_t size() const { return entries_.size(); }
  // Calls visit(name, labels) for every namespace, in no particular order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const auto& [name, entry] : entries_) {
      visit(name, Labels(entry.views));
    }
  }

 private:
  struct Entry {
    Owned owned;
    std::vector<Label> views;  // into `owned`, which never changes once built
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> entries_;
};

}  // namespace windowguard::core
