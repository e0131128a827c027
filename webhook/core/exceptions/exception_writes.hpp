#pragma once
// Which writes to WindowException objects windowguard accepts
// (docs/exceptions.md, "What windowguard checks"): a request filed by its
// requester for windows that allow it, a spec that never changes, and status
// updates that add or remove one approval, the caller's own.  Pure: the
// admission adapter decodes the objects and says what the write is.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/exceptions/approval_writes.hpp"
#include "core/exceptions/window_exception.hpp"
#include "core/policy.hpp"

namespace windowguard::core {

struct ExceptionWrite {
  using Kind = WriteKind;
  Kind kind = Kind::Create;
  std::string_view username;
  std::span<const std::string_view> groups;
  Instant now;
  const WindowException* object = nullptr;      // Create, Update, UpdateStatus
  const WindowException* old_object = nullptr;  // Update, UpdateStatus, Delete (null: unreadable)
  bool spec_changed = false;                    // Update, UpdateStatus: the spec differs from the old one
  // The write is windowguard's own (keeping status.approved and
  // status.state): it may change the status but for its approvals.
  bool by_windowguard = false;
  // UpdateStatus: the status changes beside its approvals.
  bool status_beside_approvals_changed = false;
};

// Why the write is refused, in words for whoever made it; nullopt when it is
// accepted.
std::optional<std::string> refuse_exception_write(const Policy& policy, const ExceptionWrite& write);

// The users and groups of the scope that stand for many people, each with
// whom it covers: `group "system:authenticated" (every signed-in user)`.
// Empty when the scope names people one by one or in ordinary groups.
std::vector<std::string> broad_people(const ExceptionScope& scope);

// The warning a broad request is accepted with, or nullopt.
std::optional<std::string> broad_request_warning(const ExceptionScope& scope);

}  // namespace windowguard::core
