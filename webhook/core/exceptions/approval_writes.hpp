#pragma once
// What every write to an approvable object (a WindowException, an
// ImageApproval) must respect, whatever the object: a status update adds or
// withdraws exactly one approval, the caller's own, given now and naming
// only groups the caller is in.  Who may approve is the object's rules'
// to say (core/exceptions/exception_writes.hpp, core/images/image_approval_writes.hpp).
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/exceptions/window_exception.hpp"
#include "core/policy.hpp"
#include "core/schedule/time.hpp"

namespace windowguard::core {

// How far an approval's `at` may be from now: it is the approver's clock,
// and it must be now.
inline constexpr seconds kApprovalClockSkew = minutes{5};

enum class WriteKind { Create, Update, UpdateStatus, Delete };

struct StatusChange {
  std::string_view username;
  std::span<const std::string_view> groups;
  Instant now;
  const std::vector<Approval>* before = nullptr;
  const std::vector<Approval>* after = nullptr;
  // The write is windowguard's own (keeping status.approved and
  // status.state): it may change the status but for its approvals.
  bool by_windowguard = false;
  std::string_view object_kind;  // "exception", "image approval"
  // The status changes beside its approvals (status.approved, status.state,
  // anything else): windowguard's alone to write.
  bool status_beside_approvals_changed = false;
};

// Why an approval added by its own approver is refused by the object's
// rules; nullopt when they accept the approver.
using ApproverCheck = std::function<std::optional<std::string>(const Approval&)>;

// "text", as the refusals of writes name people, groups and objects.
std::string in_quotes(std::string_view text);

// Why the status update is refused; nullopt when accepted.
std::optional<std::string> refuse_status_change(const StatusChange& change, const ApproverCheck& refuse_approver);

// Why a write is refused, by its kind: a spec never changes (a changed
// request is a new request); `create_check` judges a Create,
// `status_check` an UpdateStatus, `delete_check` a Delete.
struct WriteChecks {
  std::function<std::optional<std::string>()> create_check;
  std::function<std::optional<std::string>()> status_check;
  std::function<std::optional<std::string>()> delete_check;
};
std::optional<std::string> refuse_write_of_kind(WriteKind kind, bool spec_changed, std::string_view object_kind,
                                                const WriteChecks& checks);

// Whether the people (a user and their groups) may approve the request.
using ApproverTest = std::function<bool(std::string_view user, std::span<const std::string> groups)>;

// Why a delete (a cancellation) of a request is refused: it is allowed to
// its requester, a super admin, a trusted requester (the namespace
// controller and the garbage collector delete what a namespace holds), and
// whoever `is_approver` accepts; to nobody else, whatever RBAC allows.
std::optional<std::string> refuse_cancel(const Policy& policy, std::string_view username,
                                         std::span<const std::string_view> groups, std::string_view requested_by,
                                         std::string_view object_kind, const ApproverTest& is_approver);

// Why a write to an approvable object is refused, whatever its kind.
// `Write` is an ExceptionWrite or an ImageApprovalWrite, which share their
// fields; `refuse_create` judges a Create by the object's own rules,
// `refuse_approver` an approval its approver adds, and `is_approver(object,
// user, groups)` says who may approve the object, and so also cancel it.
template <typename Write, typename IsApprover>
std::optional<std::string> refuse_approvable_write(const Policy& policy, const Write& write,
                                                   std::string_view object_kind,
                                                   const std::function<std::optional<std::string>()>& refuse_create,
                                                   const ApproverCheck& refuse_approver,
                                                   const IsApprover& is_approver) {
  return refuse_write_of_kind(
      write.kind, write.spec_changed, object_kind,
      {refuse_create,
       [&] {
         const StatusChange change{
             write.username,           write.groups,         write.now,   &write.old_object->approvals,
             &write.object->approvals, write.by_windowguard, object_kind, write.status_beside_approvals_changed};
         return refuse_status_change(change, refuse_approver);
       },
       [&] {
         const auto* object = write.old_object;
         return refuse_cancel(policy, write.username, write.groups,
                              object != nullptr ? std::string_view(object->requested_by) : std::string_view(),
                              object_kind, [&](std::string_view user, std::span<const std::string> groups) {
                                return object != nullptr && is_approver(*object, user, groups);
                              });
       }});
}

}  // namespace windowguard::core
