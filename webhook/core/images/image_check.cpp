#include "core/images/image_check.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include "core/exemption_index.hpp"
#include "core/glob.hpp"
#include "core/images/image_approval_writes.hpp"
#include "core/people.hpp"

namespace windowguard::core {
namespace {

bool approves(const ImageApproval& request, const ImageReference& image) {
  return std::any_of(request.images.begin(), request.images.end(),
                     [&](const ImageReference& approved) { return approves(approved, image); });
}

// How one ImageApproval stands for one image under one rule, for this deployer.
struct Candidate {
  const ImageApproval* request = nullptr;
  std::vector<std::string_view> approvers;
  std::optional<UnapprovedReason> why_not;  // empty when valid
};

Candidate judge(const Policy& policy, const ApprovalRule& rule, const ImageApproval& request,
                const ImageCheckInput& input) {
  Candidate candidate{&request, counted_approvers(policy, rule, request, input.at), {}};
  if (!rule.promoted_from.empty() &&
      (request.promoted_from.empty() ||
       std::none_of(rule.promoted_from.begin(), rule.promoted_from.end(),
                    [&](const std::string& pattern) { return glob_matches(pattern, request.promoted_from); }))) {
    candidate.why_not = image_reasons::NotAPromotion{rule.promoted_from};
  } else if (static_cast<int>(candidate.approvers.size()) < rule.required) {
    candidate.why_not = image_reasons::TooFewApprovals{};
  } else if (!rule.allow_approver_to_deploy &&
             std::any_of(request.approvals.begin(), request.approvals.end(),
                         [&](const Approval& approval) { return approval.user == input.requester.username; })) {
    candidate.why_not = image_reasons::ApprovedByDeployer{std::string(input.requester.username)};
  }
  return candidate;
}

// The first instant after `at` when an approval of the request grows older
// than the rule's expireAfter, and so stops counting.
Instant first_expiry(const ApprovalRule& rule, const ImageApproval& request, Instant at) {
  Instant first = Instant::max();
  if (rule.expire_after) {
    for (const Approval& approval : request.approvals) {
      const Instant expiry = approval.at + *rule.expire_after;
      if (expiry > at) {
        first = std::min(first, expiry);
      }
    }
  }
  return first;
}

// A valid request for the image under the rule, or the closest one.  Every
// request weighed bounds `holds_until`: when one of its approvals expires,
// the answer may change.
Candidate best_request(const Policy& policy, const ApprovalRule& rule, const ImageReference& image,
                       const ImageCheckInput& input, Instant& holds_until) {
  Candidate best;
  if (input.approvals == nullptr) {
    best.why_not = image_reasons::NoClusterAccess{};
    return best;
  }
  for (const ImageApproval& request : input.approvals->in_namespace(input.environment)) {
    if (request.application != input.application || !approves(request, image)) {
      continue;
    }
    holds_until = std::min(holds_until, first_expiry(rule, request, input.at));
    Candidate candidate = judge(policy, rule, request, input);
    if (!candidate.why_not) {
      return candidate;
    }
    if (best.request == nullptr || candidate.approvers.size() > best.approvers.size()) {
      best = std::move(candidate);
    }
  }
  if (best.request == nullptr) {
    best.why_not = image_reasons::NoRequestNamesIt{};
  }
  return best;
}

// The audit names each image once per request that let it in, with every
// approver some rule counted.
void record_approval(std::string_view image, Candidate found, std::vector<ApprovedImage>& approved) {
  const auto same = std::find_if(approved.begin(), approved.end(), [&](const ApprovedImage& known) {
    return known.image == image && known.request == found.request;
  });
  if (same == approved.end()) {
    approved.push_back({std::string(image), found.request, std::move(found.approvers)});
    return;
  }
  for (std::string_view approver : found.approvers) {
    if (std::find(same->approvers.begin(), same->approvers.end(), approver) == same->approvers.end()) {
      same->approvers.push_back(approver);
    }
  }
}

// Each image of the template, read once for every rule that looks at it.
struct ReadImage {
  std::string_view text;
  Result<ImageReference> reference;
};
using ReadImages = std::vector<ReadImage>;

const Result<ImageReference>& read_of(const ReadImages& images, std::string_view text) {
  return std::find_if(images.begin(), images.end(), [&](const ReadImage& image) { return image.text == text; })
      ->reference;
}

void check_approvals(const Policy& policy, const ImageCheckInput& input, const ReadImages& images,
                     ImageVerdict& verdict) {
  for (const ApprovalRule* governing : rules_governing(policy, input.environment, input.application)) {
    const ApprovalRule& rule = *governing;
    verdict.governed = true;
    for (std::string_view text : input.added) {
      const Result<ImageReference>& image = read_of(images, text);
      if (!image) {
        verdict.unapproved.push_back({std::string(text),
                                      rule.name,
                                      {},
                                      0,
                                      rule.required,
                                      image_reasons::UnreadableImage{image.error().message}});
        continue;
      }
      Candidate found = best_request(policy, rule, *image, input, verdict.holds_until);
      if (!found.why_not) {
        record_approval(text, std::move(found), verdict.approved);
      } else {
        const std::string label =
            found.request == nullptr ? std::string() : found.request->namespace_name + "/" + found.request->name;
        verdict.unapproved.push_back({std::string(text), rule.name, label, static_cast<int>(found.approvers.size()),
                                      rule.required, std::move(*found.why_not)});
      }
    }
  }
}

// The condition of the policy that refuses the image, if one does.
std::optional<RefusalReason> refusal(const ImagePolicy& image_policy, const ImageReference& image) {
  for (const ImageCondition& condition : image_policy.fail) {
    if (condition.matches(image)) {
      return image_reasons::MatchesFailCondition{condition};
    }
  }
  if (!image_policy.pass.empty() &&
      std::none_of(image_policy.pass.begin(), image_policy.pass.end(),
                   [&](const ImageCondition& condition) { return condition.matches(image); })) {
    return image_reasons::MatchesNoPassCondition{};
  }
  return std::nullopt;
}

void check_image_policies(const Policy& policy, const ImageCheckInput& input, const ReadImages& images,
                          ImageVerdict& verdict) {
  for (const ImagePolicy& image_policy : policy.image_rules().image_policies) {
    if (!covers(policy, image_policy.environments, image_policy.applications, input.environment, input.application)) {
      continue;
    }
    verdict.governed = true;
    for (const ReadImage& image : images) {
      std::optional<RefusalReason> why = image.reference
                                             ? refusal(image_policy, *image.reference)
                                             : image_reasons::UnreadableImage{image.reference.error().message};
      if (why) {
        verdict.refused.push_back({std::string(image.text), image_policy.name, std::move(*why), image_policy.message});
      }
    }
  }
}

// When the approvals `counted` under the rule fall below what it requires,
// as they expire one by one; empty when none expires or too few count.
std::optional<Instant> approved_until(const ApprovalRule& rule, const ImageApproval& request,
                                      const std::vector<std::string_view>& counted, Instant now) {
  if (!rule.expire_after || rule.required == 0 || static_cast<int>(counted.size()) < rule.required) {
    return std::nullopt;
  }
  std::vector<Instant> expiries;
  for (std::string_view approver : counted) {
    const auto approval =
        std::find_if(request.approvals.begin(), request.approvals.end(), [&](const Approval& candidate) {
          return candidate.user == approver && candidate.at + *rule.expire_after > now;
        });
    expiries.push_back(approval->at + *rule.expire_after);
  }
  // The required-th latest expiry: until then, `required` approvals count.
  std::nth_element(expiries.begin(), expiries.begin() + (rule.required - 1), expiries.end(), std::greater<>());
  return expiries[static_cast<std::size_t>(rule.required - 1)];
}

}  // namespace

bool governs_images(const Policy& policy) {
  return !policy.image_rules().approvals.empty() || !policy.image_rules().image_policies.empty();
}

std::vector<std::string_view> counted_approvers(const Policy& policy, const ApprovalRule& rule,
                                                const ImageApproval& request, Instant at) {
  std::vector<std::string_view> approvers;
  for (const Approval& approval : request.approvals) {
    const bool expired = rule.expire_after && at - approval.at >= *rule.expire_after;
    const bool counts =
        !expired && is_among(policy, rule.approvers, approval.user, approval.groups) &&
        (approval.user != request.requested_by || rule.allow_requester_to_approve) &&
        (approval.user != request.built_by || request.built_by.empty() || rule.allow_builder_to_approve) &&
        std::find(approvers.begin(), approvers.end(), approval.user) == approvers.end();
    if (counts) {
      approvers.push_back(approval.user);
    }
  }
  return approvers;
}

ImageApprovalStanding standing_of(const Policy& policy, const ImageApproval& request, Instant now) {
  ImageApprovalStanding standing;
  bool governed = false;
  for (const ApprovalRule* governing : rules_governing(policy, request.namespace_name, request.application)) {
    const ApprovalRule& rule = *governing;
    std::vector<std::string_view> counted = counted_approvers(policy, rule, request, now);
    const int count = static_cast<int>(counted.size());
    if (!governed || rule.required - count > standing.required - standing.approvals) {
      standing.approvals = count;
      standing.required = rule.required;
      standing.eligible = describe_people(policy, rule.approvers);
      standing.approvers = counted;
    }
    governed = true;
    if (const std::optional<Instant> until = approved_until(rule, request, counted, now)) {
      standing.approved_until = std::min(standing.approved_until.value_or(Instant::max()), *until);
    }
  }
  standing.state = !governed ? "ungoverned" : standing.approvals >= standing.required ? "approved" : "pending";
  if (standing.state != "approved") {
    standing.approved_until.reset();
  }
  return standing;
}

ImageVerdict check_images(const Policy& policy, const ImageCheckInput& input) {
  ImageVerdict verdict;
  if (!governs_images(policy) || policy.exemptions().is_trusted(input.requester.username)) {
    return verdict;
  }
  ReadImages images;
  images.reserve(input.images.size() + input.added.size());
  for (std::span<const std::string_view> texts : {input.images, input.added}) {
    for (std::string_view text : texts) {
      if (std::none_of(images.begin(), images.end(), [&](const ReadImage& image) { return image.text == text; })) {
        images.push_back({text, parse_image_reference(text)});
      }
    }
  }
  check_approvals(policy, input, images, verdict);
  check_image_policies(policy, input, images, verdict);
  return verdict;
}

}  // namespace windowguard::core
