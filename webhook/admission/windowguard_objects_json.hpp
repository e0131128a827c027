#pragma once
// windowguard's own objects (windowguard.dev/v1), WindowException and
// ImageApproval, from their JSON as the API server sends it in an
// AdmissionReview, a list or a watch event.
#include <string_view>

#include <rapidjson/document.h>

#include "core/image_rules.hpp"
#include "core/result.hpp"
#include "core/window_exception.hpp"

namespace windowguard::admission {

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

}  // namespace windowguard::admission
