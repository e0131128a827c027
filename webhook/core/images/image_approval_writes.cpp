#include "core/images/image_approval_writes.hpp"

#include <algorithm>

#include "core/binding_index.hpp"
#include "core/glob.hpp"
#include "core/people.hpp"

namespace windowguard::core {
namespace {

std::optional<std::string> refuse_create(const Policy& policy, const ImageApprovalWrite& write) {
  const ImageApproval& request = *write.object;
  if (request.requested_by != write.username) {
    return "spec.requestedBy " + in_quotes(request.requested_by) + " must be you (" + in_quotes(write.username) +
           "): an image approval is requested by the person who creates it";
  }
  if (!request.approvals.empty()) {
    return "a new image approval must have no approvals: approvers add theirs to its status";
  }
  if (rules_governing(policy, request.namespace_name, request.application).empty()) {
    return "no approvals rule of the policy governs application " + in_quotes(request.application) + " in " +
           in_quotes(request.namespace_name) + ": there is nothing to approve";
  }
  if (request.promoted_from.empty()) {
    return std::nullopt;
  }
  if (!write.running_in_source) {
    return "spec.promotedFrom " + in_quotes(request.promoted_from) + ": windowguard could not read what runs there (" +
           write.unread_source + ")";
  }
  for (const ImageReference& image : request.images) {
    if (!runs_in(*write.running_in_source, image)) {
      return "image " + image.normalized() + " does not run in " + in_quotes(request.promoted_from) + " now: " +
             (image.digest.empty() ? "no workload of application " + in_quotes(request.application) +
                                         " there names it in its pod template"
                                   : "no Pod of application " + in_quotes(request.application) +
                                         " there reports that digest, and no workload's pod template names it");
    }
  }
  return std::nullopt;
}

// An approver must be eligible under one of the rules that govern the
// request, and neither its requester nor its builder unless that rule
// allows them.
std::optional<std::string> refuse_approver(const Policy& policy, const ImageApprovalWrite& write,
                                           const Approval& approval) {
  const ImageApproval& request = *write.object;
  const std::vector<const ApprovalRule*> rules = rules_governing(policy, request.namespace_name, request.application);
  if (rules.empty()) {
    return "no approvals rule of the policy governs application " + in_quotes(request.application) + " in " +
           in_quotes(request.namespace_name);
  }
  std::string refusal;
  for (const ApprovalRule* rule : rules) {
    if (approval.user == request.requested_by && !rule->allow_requester_to_approve) {
      refusal =
          "you requested these images: approvals rule " + in_quotes(rule->name) + " needs the approval of someone else";
    } else if (!request.built_by.empty() && approval.user == request.built_by && !rule->allow_builder_to_approve) {
      refusal =
          "you built these images: approvals rule " + in_quotes(rule->name) + " needs the approval of someone else";
    } else if (!is_among(policy, rule->approvers, approval.user, approval.groups)) {
      refusal = "you (" + in_quotes(write.username) + ") may not approve images under approvals rule " +
                in_quotes(rule->name) + "; its approvers are " + describe_people(policy, rule->approvers);
    } else {
      return std::nullopt;
    }
  }
  return refusal;
}

}  // namespace

bool approves(const ImageReference& approved, const ImageReference& image) {
  return same_repository(approved, image) &&
         (approved.digest.empty() ? image.digest.empty() && approved.tag == image.tag
                                  : approved.digest == image.digest);
}

bool runs_in(const RunningImages& source, const ImageReference& image) {
  const auto same_digest = [&](const ImageReference& running) {
    return same_repository(running, image) && running.digest == image.digest;
  };
  if (!image.digest.empty()) {
    return std::any_of(source.reported.begin(), source.reported.end(), same_digest) ||
           std::any_of(source.named.begin(), source.named.end(), same_digest);
  }
  return std::any_of(source.named.begin(), source.named.end(), [&](const ImageReference& named) {
    return same_repository(named, image) && named.tag == image.tag;
  });
}

bool covers(const Policy& policy, const std::vector<std::string>& environments,
            const std::vector<std::string>& applications, std::string_view namespace_name,
            std::string_view application) {
  return names_environment(environments, namespace_name, policy.settings().cluster_name) &&
         (applications.empty() ||
          std::any_of(applications.begin(), applications.end(),
                      [&](const std::string& pattern) { return glob_matches(pattern, application); }));
}

std::vector<const ApprovalRule*> rules_governing(const Policy& policy, std::string_view namespace_name,
                                                 std::string_view application) {
  std::vector<const ApprovalRule*> rules;
  for (const ApprovalRule& rule : policy.image_rules().approvals) {
    if (covers(policy, rule.environments, rule.applications, namespace_name, application)) {
      rules.push_back(&rule);
    }
  }
  return rules;
}

std::optional<std::string> refuse_image_approval_write(const Policy& policy, const ImageApprovalWrite& write) {
  return refuse_approvable_write(
      policy, write, "image approval", [&] { return refuse_create(policy, write); },
      [&](const Approval& approval) { return refuse_approver(policy, write, approval); },
      [&](const ImageApproval& request, std::string_view user, std::span<const std::string> groups) {
        const std::vector<const ApprovalRule*> rules =
            rules_governing(policy, request.namespace_name, request.application);
        return std::any_of(rules.begin(), rules.end(),
                           [&](const ApprovalRule* rule) { return is_among(policy, rule->approvers, user, groups); });
      });
}

}  // namespace windowguard::core
