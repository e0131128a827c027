#pragma once
// The audit annotations of one response: each key at most once, so the
// storage is one slot per key and setting one can never overflow it, however
// many keys are added to AuditKey (docs/admission.md, "What people see").
#include <array>
#include <bitset>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

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

  // Replaces the key's value if it has one.
  void set(AuditKey key, std::string value) {
    const auto slot = static_cast<std::size_t>(key);
    values_[slot] = std::move(value);
    present_.set(slot);
  }

  // Null when the key is not set.
  [[nodiscard]] const std::string* find(AuditKey key) const {
    const auto slot = static_cast<std::size_t>(key);
    return present_.test(slot) ? &values_[slot] : nullptr;
  }

  [[nodiscard]] bool empty() const { return present_.none(); }

  // Calls visit(name, value) for each key set, in AuditKey's order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t slot = 0; slot < kAuditKeyCount; ++slot) {
      if (present_.test(slot)) {
        visit(audit_key_name(static_cast<AuditKey>(slot)), values_[slot]);
      }
    }
  }

  friend bool operator==(const AuditAnnotations&, const AuditAnnotations&) = default;

 private:
  std::array<std::string, kAuditKeyCount> values_;
  std::bitset<kAuditKeyCount> present_;
};

}  // namespace windowguard::admission
