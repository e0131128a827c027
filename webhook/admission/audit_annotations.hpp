#pragma once
// The audit annotations of one response: each key at most once, so room for
// one entry per key is room enough, however many keys are added to AuditKey
// (docs/admission.md, "What people see").
#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <boost/container/static_vector.hpp>

namespace windowguard::admission {

// In the order the response lists them.
enum class AuditKey : unsigned char {
  Action,
  Decision,
  Window,
  BypassedWindows,
  Exceptions,
  UnapprovedImages,
  RefusedImages,
  ImageApprovals,
  Count,
};

inline constexpr std::size_t kAuditKeyCount = static_cast<std::size_t>(AuditKey::Count);

// The key as the API server stores it, after "<webhook>/".
constexpr std::string_view audit_key_name(AuditKey key) {
  constexpr std::array<std::string_view, kAuditKeyCount> names{
      "action",     "decision",          "window",         "bypassed-windows",
      "exceptions", "unapproved-images", "refused-images", "image-approvals",
  };
  return names[static_cast<std::size_t>(key)];
}

class AuditAnnotations {
 public:
  AuditAnnotations() = default;
  AuditAnnotations(std::initializer_list<std::pair<AuditKey, std::string>> entries) {
    for (const auto& [key, value] : entries) {
      set(key, value);
    }
  }

  // Replaces the key's value if it has one.  Each key holds one entry, so
  // the entries never outnumber the keys, and setting one never overflows.
  // They are kept in AuditKey's order.
  void set(AuditKey key, std::string value) {
    auto at = entries_.begin();
    while (at != entries_.end() && at->first < key) {
      ++at;
    }
    if (at != entries_.end() && at->first == key) {
      at->second = std::move(value);
    } else {
      entries_.emplace(at, key, std::move(value));
    }
  }

  // Null when the key is not set.
  [[nodiscard]] const std::string* find(AuditKey key) const {
    for (const auto& [held, text] : entries_) {
      if (held == key) {
        return &text;
      }
    }
    return nullptr;
  }

  [[nodiscard]] bool empty() const { return entries_.empty(); }

  // Calls visit(name, value) for each key set, in AuditKey's order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const auto& [key, value] : entries_) {
      visit(audit_key_name(key), value);
    }
  }

  friend bool operator==(const AuditAnnotations&, const AuditAnnotations&) = default;

 private:
  // Held inline, so that a request allocates no list.
  boost::container::static_vector<std::pair<AuditKey, std::string>, kAuditKeyCount> entries_;
};

}  // namespace windowguard::admission
