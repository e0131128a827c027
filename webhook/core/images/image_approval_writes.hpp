#pragma once
// Which writes to ImageApproval objects windowguard accepts
// (docs/approvals.md, "What windowguard checks"): a request filed by its
// requester for an application an approvals rule governs, images that run
// in the environment a promotion names, a spec that never changes, and
// status updates that add or remove one approval, the caller's own, by an
// eligible approver.  Pure: the admission adapter decodes the objects, and
// reads the workloads a promotion names.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/exceptions/approval_writes.hpp"
#include "core/images/image_rules.hpp"
#include "core/policy.hpp"

namespace windowguard::core {

// What an application runs in a namespace: the references its workloads'
// pod templates name, and the repository digests its Pods report
// (status.containerStatuses[].imageID).
struct RunningImages {
  std::vector<ImageReference> named;
  std::vector<ImageReference> reported;  // each with a digest
};

// Whether `image` runs there: a digest that a Pod reports or a template
// names; a reference without a digest, when a template names its tag.
bool runs_in(const RunningImages& source, const ImageReference& image);

struct ImageApprovalWrite {
  WriteKind kind = WriteKind::Create;
  std::string_view username;
  std::span<const std::string_view> groups;
  Instant now;
  const ImageApproval* object = nullptr;      // Create, Update, UpdateStatus
  const ImageApproval* old_object = nullptr;  // Update, UpdateStatus, Delete (null: unreadable)
  bool spec_changed = false;
  bool by_windowguard = false;
  // UpdateStatus: the status changes beside its approvals.
  bool status_beside_approvals_changed = false;
  // A Create with promotedFrom: what the application runs in that namespace
  // now, or why it could not be read.
  std::optional<RunningImages> running_in_source = std::nullopt;
  std::string unread_source = {};
};

// Why the write is refused, in words for whoever made it; nullopt when it is
// accepted.
std::optional<std::string> refuse_image_approval_write(const Policy& policy, const ImageApprovalWrite& write);

// Whether an approval of `approved` approves `image`, exactly: the same
// registry and repository, and the same digest where it names one (whatever
// tag stands beside it); an approval of a tag alone approves only that tag
// without a digest, as a tag never vouches for what a digest pins.
bool approves(const ImageReference& approved, const ImageReference& image);

// Whether a rule's environments and applications (an approvals rule's or an
// image policy's) cover the application in the namespace: an environment
// glob names it, and the applications, if given, include it.
bool covers(const Policy& policy, const std::vector<std::string>& environments,
            const std::vector<std::string>& applications, std::string_view namespace_name,
            std::string_view application);

// The approvals rules that govern the application in the namespace.
std::vector<const ApprovalRule*> rules_governing(const Policy& policy, std::string_view namespace_name,
                                                 std::string_view application);

}  // namespace windowguard::core
