#pragma once
// Deployment approvals and image policies (docs/approvals.md): a policy's
// `approvals:` and `imagePolicies:` rules, and the ImageApproval objects
// people file in the cluster.  Pure data: the cluster adapter hands the
// objects in as values.
#include <optional>
#include <string>
#include <vector>

#include "core/exceptions/window_exception.hpp"
#include "core/images/image_reference.hpp"
#include "core/namespaced_book.hpp"
#include "core/schedule/time.hpp"

namespace windowguard::core {

// An `approvals:` rule: the images a deploy adds to its environments and
// applications need a valid ImageApproval.
struct ApprovalRule {
  std::string name;
  std::vector<std::string> environments;   // globs, as a binding's
  std::vector<std::string> applications;   // globs; empty means every application
  int required = 1;                        // 0..kMostRequiredApprovals distinct approvals
  std::vector<std::string> promoted_from;  // globs; empty: any request counts, promoted or not
  People approvers{true, {}, {}};
  std::optional<seconds> expire_after;  // an approval older than this no longer counts
  bool allow_requester_to_approve = false;
  bool allow_builder_to_approve = false;
  bool allow_approver_to_deploy = false;
};

// How a condition reads an image's digest.
enum class DigestCondition { Any, Present, Absent, Matches };

// One `pass` or `fail` entry: every field it gives must match.
struct ImageCondition {
  std::optional<std::string> image;  // glob over the normalized reference
  std::optional<std::string> registry;
  std::optional<std::string> repository;
  std::optional<std::string> tag;
  DigestCondition digest = DigestCondition::Any;
  std::string digest_pattern;  // DigestCondition::Matches

  bool matches(const ImageReference& reference) const;
  // As written in a policy: "{registry: registry.example.com, tag: latest}".
  std::string describe() const;
};

// An `imagePolicies:` entry: which images may run in its environments and
// applications.
struct ImagePolicy {
  std::string name;
  std::vector<std::string> environments;
  std::vector<std::string> applications;
  std::vector<ImageCondition> pass;  // when given, every image must match one
  std::vector<ImageCondition> fail;  // an image matching one is refused; fail wins
  std::string message;
};

struct ImageRules {
  std::vector<ApprovalRule> approvals;
  std::vector<ImagePolicy> image_policies;
};

// An ImageApproval object, as read from the cluster: a request that its
// images may enter its namespace for its application.
struct ImageApproval {
  std::string namespace_name;
  std::string name;
  std::string requested_by;
  std::string application;
  std::vector<ImageReference> images;
  std::string built_by;                // empty when not given
  std::string promoted_from;           // empty when not a promotion
  std::vector<std::string> approvers;  // whom the requester asks: shown, not enforced
  std::vector<Approval> approvals;
};

using ImageApprovalBook = NamespacedBook<ImageApproval>;

}  // namespace windowguard::core
