#pragma once
// Every object of one kind in the cluster at one moment, by namespace: the
// WindowExceptions, the ImageApprovals.  Immutable once built: the cluster
// adapter publishes a new book for each change.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/identity.hpp"

namespace windowguard::core {

// `Object` has a namespace_name and a name.
template <typename Object>
class NamespacedBook {
 public:
  NamespacedBook() : NamespacedBook(std::vector<Object>{}) {}
  explicit NamespacedBook(std::vector<Object> objects) : identity_(next_identity()), objects_(std::move(objects)) {
    std::sort(objects_.begin(), objects_.end(), [](const Object& a, const Object& b) {
      return std::tie(a.namespace_name, a.name) < std::tie(b.namespace_name, b.name);
    });
    for (std::size_t begin = 0; begin < objects_.size();) {
      std::size_t end = begin + 1;
      while (end < objects_.size() && objects_[end].namespace_name == objects_[begin].namespace_name) {
        ++end;
      }
      by_namespace_.emplace(objects_[begin].namespace_name, Range{begin, end});
      begin = end;
    }
  }
  // Its index views the objects' own names: a copy would view the original's.
  NamespacedBook(const NamespacedBook&) = delete;
  NamespacedBook& operator=(const NamespacedBook&) = delete;
  NamespacedBook(NamespacedBook&&) noexcept = default;

  std::span<const Object> in_namespace(std::string_view namespace_name) const {
    const auto found = by_namespace_.find(namespace_name);
    if (found == by_namespace_.end()) {
      return {};
    }
    return std::span<const Object>(objects_).subspan(found->second.begin, found->second.end - found->second.begin);
  }
  const std::vector<Object>& all() const { return objects_; }

  // Unique to this book's contents among the books of the process, so that
  // what was decided with one book is never served with another, even one
  // at the same address.
  std::uint64_t identity() const { return identity_; }

 private:
  struct Range {
    std::size_t begin;
    std::size_t end;
  };
  std::uint64_t identity_;
  std::vector<Object> objects_;  // sorted by namespace, then name
  std::unordered_map<std::string_view, Range> by_namespace_;
};

}  // namespace windowguard::core
