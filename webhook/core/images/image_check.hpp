#pragma once
// What `approvals:` and `imagePolicies:` make of a deploy's images
// (docs/approvals.md, "How a deploy is decided").  A pure function of the
// policy, the ImageApproval book and the input: an approval that arrives or
// is withdrawn makes a new book, and one that expires bounds the verdict's
// holds_until, so that core/images/image_verdict_memo.hpp can remember verdicts
// without ever serving a stale one.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decision.hpp"
#include "core/images/image_rules.hpp"
#include "core/policy.hpp"

namespace windowguard::core {

struct ImageCheckInput {
  std::string_view environment;  // the namespace
  std::string_view application;
  Requester requester;
  // Every container and init container image of the new pod template, and
  // those of them the old template did not run (all of them for a CREATE).
  std::span<const std::string_view> images;
  std::span<const std::string_view> added;
  Instant at;
  const ImageApprovalBook* approvals = nullptr;  // null without cluster access
};

// Why an image is unapproved or refused.  The core gives the reason and its
// data; admission/explanation.cpp words it for whoever is denied.
namespace image_reasons {
struct NoClusterAccess {};  // the ImageApprovals cannot be read
struct UnreadableImage {    // the reference does not parse
  std::string error;
};
struct NoRequestNamesIt {};  // no ImageApproval of the application in the namespace
struct NotAPromotion {       // the closest request is not promoted from a source the rule names
  std::vector<std::string> sources;
};
struct TooFewApprovals {};   // the closest request has fewer approvals that count than required
struct ApprovedByDeployer {  // the rule forbids deploying what one approved
  std::string deployer;
};
struct MatchesFailCondition {
  ImageCondition condition;
};
struct MatchesNoPassCondition {};
}  // namespace image_reasons

using UnapprovedReason =
    std::variant<image_reasons::NoClusterAccess, image_reasons::UnreadableImage, image_reasons::NoRequestNamesIt,
                 image_reasons::NotAPromotion, image_reasons::TooFewApprovals, image_reasons::ApprovedByDeployer>;
using RefusalReason = std::variant<image_reasons::UnreadableImage, image_reasons::MatchesFailCondition,
                                   image_reasons::MatchesNoPassCondition>;

// An added image without a valid ImageApproval under an `approvals` rule.
struct UnapprovedImage {
  std::string image;  // as the template names it
  std::string rule;
  // The closest request: the ImageApproval naming the image with the most
  // approvals that count ("" when none names it), and those approvals.
  std::string request;
  int approvals = 0;
  int required = 0;
  UnapprovedReason reason;
};

// An image an `imagePolicies` entry refuses.
struct RefusedImage {
  std::string image;
  std::string policy;
  RefusalReason reason;
  std::string message;  // the policy's
};

// An added image let in by an ImageApproval, for the audit log: the request
// and its approvers are views of the book, valid while it is.
struct ApprovedImage {
  std::string image;
  const ImageApproval* request = nullptr;
  std::vector<std::string_view> approvers;
};

struct ImageVerdict {
  bool governed = false;  // some approvals rule or image policy applies
  std::vector<UnapprovedImage> unapproved;
  std::vector<RefusedImage> refused;
  std::vector<ApprovedImage> approved;
  // The verdict is the same at every instant from the one it was made at
  // until this one: the first moment an approval it weighed expires.
  Instant holds_until = Instant::max();

  bool allowed() const { return unapproved.empty() && refused.empty(); }
};

// Whether the policy has rules for images at all: without them a deploy's
// images need not be read.
bool governs_images(const Policy& policy);

ImageVerdict check_images(const Policy& policy, const ImageCheckInput& input);

// How an ImageApproval stands under the policy in force, for kubectl's
// columns: its approvals that count ("1/2") under the strictest rule that
// governs its namespace and application, and whether that makes it approved.
struct ImageApprovalStanding {
  int approvals = 0;
  int required = 0;
  std::string state;                        // "approved", "pending", or "ungoverned" when no approvals rule covers it
  std::string eligible = "nobody";          // who may approve it under the rule furthest from approved, in words
  std::vector<std::string_view> approvers;  // whose approvals count under that rule, views of the request
  // Approved under rules with an expireAfter: when the approvals that count
  // fall below what one of them requires.
  std::optional<Instant> approved_until;
};
ImageApprovalStanding standing_of(const Policy& policy, const ImageApproval& request, Instant now);

// The approvals of the request that count under the rule at `at`, in the
// object's order: by eligible approvers, none older than expireAfter, the
// requester's and the builder's only where the rule allows them.
std::vector<std::string_view> counted_approvers(const Policy& policy, const ApprovalRule& rule,
                                                const ImageApproval& request, Instant at);

}  // namespace windowguard::core
