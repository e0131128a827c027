#pragma once
// Writes to windowguard's approvable objects, WindowExceptions and
// ImageApprovals: decoded here, judged by core::refuse_exception_write and
// core::refuse_image_approval_write (docs/exceptions.md and docs/approvals.md,
// "What windowguard checks").
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "admission/review_decoder.hpp"
#include "core/images/image_approval_writes.hpp"
#include "core/images/image_reference.hpp"
#include "core/policy.hpp"

namespace windowguard::admission {

struct AdmissionDecision;

// What a write to a request object does, as the decision log and the
// metrics name it beside the governed actions.
enum class RequestWrite : std::uint8_t {
  Request,   // a create
  Approve,   // a status update that adds an approval
  Withdraw,  // one that removes an approval
  Cancel,    // a delete
  Update,    // anything else: metadata, windowguard's own summary, a refused mix
};
inline constexpr std::array<RequestWrite, 5> kAllRequestWrites{
    RequestWrite::Request, RequestWrite::Approve, RequestWrite::Withdraw, RequestWrite::Cancel, RequestWrite::Update};
std::string_view request_write_name(RequestWrite write);

bool is_approvable_object_write(const AdmissionRequest& request);
// A CREATE of an ImageApproval that names spec.promotedFrom: the images
// running in that namespace must be read before it is decided.  That
// namespace and the application, for the read; nullopt when the request is
// not one.
struct PromotionSource {
  std::string namespace_name;
  std::string application;
};
std::optional<PromotionSource> promotion_source(const AdmissionRequest& request);

// What a promotion request's source runs now: its application's images, or
// why they could not be read.
struct SourceImages {
  std::optional<core::RunningImages> images;
  std::string unread = "windowguard has no cluster access";
};

// Allowed, or denied with the reason as the message kubectl shows.
// `windowguard_user` is windowguard's own identity in the cluster (empty when
// unknown), whose status writes keep the summary fields.
AdmissionDecision review_object_write(const core::Policy& policy, const AdmissionRequest& request, core::Instant now,
                                      std::string_view windowguard_user, const SourceImages& source);

}  // namespace windowguard::admission
