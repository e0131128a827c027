#pragma once
// windowguard's own objects (windowguard.dev/v1), WindowException and
// ImageApproval: read from their JSON as the API server sends it in an
// AdmissionReview, a list or a watch event; written as a new request for
// `kubectl create`; their status as windowguard keeps it, and where the API
// server serves them.  The one place that knows their fields.
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "core/exceptions/window_exception.hpp"
#include "core/images/image_rules.hpp"
#include "core/result.hpp"

namespace windowguard::objects {

inline constexpr std::string_view kExceptionGroup = "windowguard.dev";
inline constexpr std::string_view kExceptionResource = "windowexceptions";
inline constexpr std::string_view kExceptionKind = "WindowException";
inline constexpr std::string_view kImageApprovalResource = "imageapprovals";
inline constexpr std::string_view kImageApprovalKind = "ImageApproval";
inline constexpr std::size_t kMostImagesPerApproval = 32;

// Reads the object; `created` stands in for metadata.creationTimestamp when
// the object has none yet.  A spec without `from` starts at its creation; one
// that names neither users nor groups is for its requester alone.  The
// problem names the field that is missing or malformed.
Result<core::WindowException> decode_window_exception(const rapidjson::Value& object, core::Instant created);

// Reads the object.  Every image must parse as a reference (1 to 32 of
// them); the problem names the field and, for an image, why.
Result<core::ImageApproval> decode_image_approval(const rapidjson::Value& object);

// A new WindowException as the CLI files it; empty lists and an absent
// `from` are left out, so that the object's defaults apply.
struct ExceptionRequest {
  std::string name;
  std::string namespace_name;
  std::string requested_by;
  std::string reason;
  std::vector<std::string> windows;
  std::vector<std::string> applications;
  std::vector<std::string> actions;  // as given: the webhook names any it does not know
  std::vector<std::string> users;
  std::vector<std::string> groups;
  core::Instant from;
  core::Instant until;
};
std::string encode_exception_request(const ExceptionRequest& request);

// A new ImageApproval as the CLI files it; empty fields are left out.
struct ImageApprovalRequest {
  std::string name;
  std::string namespace_name;
  std::string requested_by;
  std::string application;
  std::vector<std::string> images;
  std::string built_by;
  std::string promoted_from;
  std::vector<std::string> approvers;  // whom the requester asks (shown, not enforced)
};
std::string encode_image_approval_request(const ImageApprovalRequest& request);

// What windowguard writes in an object's status, beside the approvals.
struct ShownStatus {
  std::string approved;   // "1/2"
  std::string state;      // "in force", "approved"
  std::string approvers;  // who may approve it, in words: "members of sre-leads, bob"
  bool operator==(const ShownStatus&) const = default;
};
// The status an object shows now (empty fields where it has none).
ShownStatus shown_status_of(const rapidjson::Value& object);
// A merge patch that sets the three fields.
std::string status_patch(const ShownStatus& status);

// Where the API server serves them: every object of a resource
// ("windowexceptions"), and one object's status subresource.
std::string list_path(std::string_view resource);
std::string status_path(std::string_view resource, std::string_view namespace_name, std::string_view name);

}  // namespace windowguard::objects
