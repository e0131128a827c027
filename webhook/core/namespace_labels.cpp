#include "core/namespace_labels.hpp"

namespace windowguard::core {

NamespaceLabels::NamespaceLabels(std::unordered_map<std::string, Owned> labels) {
  entries_.reserve(labels.size());
  for (auto& item : labels) {
    Entry& entry = entries_[item.first];
    entry.owned = std::move(item.second);
    entry.views.reserve(entry.owned.size());
    for (const auto& [key, value] : entry.owned) {
      entry.views.push_back({key, value});
    }
  }
}

Labels NamespaceLabels::of(std::string_view namespace_name) const {
  const auto found = entries_.find(namespace_name);
  return found == entries_.end() ? Labels{} : Labels(found->second.views);
}

}  // namespace windowguard::core
