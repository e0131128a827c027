#pragma once
// What people read: the denial paragraph, the reason for an allowance,
// warnings and audit annotations (docs/admission.md, "What people see").
#include <string>
#include <utility>
#include <vector>

#include "admission/audit_annotations.hpp"
#include "admission/classifier.hpp"
#include "core/decision.hpp"
#include "core/images/image_check.hpp"

namespace windowguard::admission {

// What a message is about: "deploy of Deployment team-a/api" (`what` is the
// action, or the operation of a request that is not governed).
struct RequestSubject {
  std::string_view what;
  const Classification& classification;
  std::string_view name;
};

// "UPDATE of Deployment team-a/api is not governed: <the classification's reason>."
std::string explain_not_governed(const RequestSubject& subject);

// The message for `decision`: the subject followed by why it is allowed, or
// by the denial paragraph.
std::string explain(const core::Policy& policy, const core::Decision& decision, const RequestSubject& subject);

std::vector<std::string> warnings_for(const core::Policy& policy, const core::Decision& decision, core::Action action,
                                      core::Instant at);

AuditAnnotations audit_annotations_for(const core::Policy& policy, const core::Decision& decision, core::Action action);

// A name for a new ImageApproval, as kubectl accepts: the application and
// the image's tag (or the start of its digest), lower case, other characters
// as '-' ("checkout-2-3-1").
std::string suggested_request_name(std::string_view application, std::string_view image);

// Why a deploy's images are denied: each unapproved image, its approvals so
// far and the command that requests or approves one; each refused image with
// the condition and the image policy's message.
std::string explain_image_reasons(const core::ImageVerdict& verdict, const RequestSubject& subject);
// The whole message when only the images deny: "deploy of Deployment
// prod/checkout is denied: " and the reasons.
std::string explain_image_denial(const core::ImageVerdict& verdict, const RequestSubject& subject);
// "unapproved-images", "refused-images" and "image-approvals" (which
// ImageApprovals let images in, and whose approvals counted).
void add_image_annotations(const core::ImageVerdict& verdict, AuditAnnotations& annotations);

}  // namespace windowguard::admission
