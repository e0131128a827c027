#include "core/exceptions/approval_writes.hpp"

#include <algorithm>

#include "core/exemption_index.hpp"
#include "core/people.hpp"
#include "core/schedule/time_text.hpp"

namespace windowguard::core {
namespace {

bool same_approval(const Approval& a, const Approval& b) {
  return a.user == b.user && a.at == b.at && a.groups == b.groups;
}

// The one approval in `longer` that `shorter` lacks, if the two lists differ
// by exactly that.
const Approval* the_one_more(const std::vector<Approval>& longer, const std::vector<Approval>& shorter) {
  if (longer.size() != shorter.size() + 1) {
    return nullptr;
  }
  std::size_t i = 0;
  while (i < shorter.size() && same_approval(longer[i], shorter[i])) {
    ++i;
  }
  if (!std::equal(shorter.begin() + static_cast<std::ptrdiff_t>(i), shorter.end(),
                  longer.begin() + static_cast<std::ptrdiff_t>(i) + 1, same_approval)) {
    return nullptr;
  }
  return &longer[i];
}

std::optional<std::string> refuse_added(const StatusChange& change, const Approval& approval,
                                        const ApproverCheck& refuse_approver) {
  const std::vector<Approval>& others = *change.before;
  if (std::any_of(others.begin(), others.end(), [&](const Approval& other) { return other.user == approval.user; })) {
    return "you (" + in_quotes(change.username) + ") have approved this " + std::string(change.object_kind) +
           " already";
  }
  const seconds skew = approval.at > change.now ? approval.at - change.now : change.now - approval.at;
  if (skew > kApprovalClockSkew) {
    return "the approval's at " + format_utc(approval.at) + " is more than 5 minutes from now (" +
           format_utc(change.now) + "): an approval is given now";
  }
  for (const std::string& group : approval.groups) {
    if (std::find(change.groups.begin(), change.groups.end(), group) == change.groups.end()) {
      return "the approval names group " + in_quotes(group) + ", which you (" + in_quotes(change.username) +
             ") are not a member of";
    }
  }
  return refuse_approver(approval);
}

}  // namespace

std::string in_quotes(std::string_view text) {
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '"').append(text).append(1, '"');
  return quoted;
}

std::optional<std::string> refuse_status_change(const StatusChange& change, const ApproverCheck& refuse_approver) {
  const std::vector<Approval>& before = *change.before;
  const std::vector<Approval>& after = *change.after;
  if (change.by_windowguard) {
    const bool same = std::equal(before.begin(), before.end(), after.begin(), after.end(), same_approval);
    return same ? std::nullopt
                : std::optional<std::string>("windowguard keeps the approved and state fields; it never approves");
  }
  if (change.status_beside_approvals_changed) {
    return "status.approved and status.state are windowguard's to write: your status update may add or remove your "
           "own approval and change nothing else";
  }
  if (const Approval* added = the_one_more(after, before)) {
    if (added->user != change.username) {
      return "the approval is for " + in_quotes(added->user) + ", but you are " + in_quotes(change.username) +
             ": only your own approval may be added";
    }
    return refuse_added(change, *added, refuse_approver);
  }
  if (const Approval* removed = the_one_more(before, after)) {
    if (removed->user != change.username) {
      return "the approval removed is " + in_quotes(removed->user) + "'s, but you are " + in_quotes(change.username) +
             ": only your own approval may be withdrawn";
    }
    return std::nullopt;
  }
  return "a status update must add or remove exactly one approval, your own";
}

std::optional<std::string> refuse_write_of_kind(WriteKind kind, bool spec_changed, std::string_view object_kind,
                                                const WriteChecks& checks) {
  switch (kind) {
    case WriteKind::Create:
      return checks.create_check();
    case WriteKind::Update:
    case WriteKind::UpdateStatus:
      if (spec_changed) {
        return "the spec of an " + std::string(object_kind) + " cannot change: cancel it and request a new one";
      }
      if (kind == WriteKind::Update) {
        return std::nullopt;  // metadata; the status is its subresource's
      }
      return checks.status_check();
    case WriteKind::Delete:
      return checks.delete_check();
  }
  return std::nullopt;
}

std::optional<std::string> refuse_cancel(const Policy& policy, std::string_view username,
                                         std::span<const std::string_view> groups, std::string_view requested_by,
                                         std::string_view object_kind, const ApproverTest& is_approver) {
  if (username == requested_by || policy.exemptions().is_trusted(username)) {
    return std::nullopt;
  }
  const std::vector<std::string> owned(groups.begin(), groups.end());
  if (is_among(policy, People{true, {}, {}}, username, owned) || is_approver(username, owned)) {
    return std::nullopt;
  }
  return "only its requester (" + in_quotes(requested_by) + "), an approver of it or a super admin may cancel this " +
         std::string(object_kind) + "; you are " + in_quotes(username);
}

}  // namespace windowguard::core
