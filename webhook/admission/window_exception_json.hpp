#pragma once
// A WindowException object's JSON (windowguard.dev/v1) -> core::WindowException,
// as the API server sends it in an AdmissionReview, a list or a watch event.
#include <string_view>

#include <rapidjson/document.h>

#include "core/result.hpp"
#include "core/window_exception.hpp"

namespace windowguard::admission {

inline constexpr std::string_view kExceptionGroup = "windowguard.dev";
inline constexpr std::string_view kExceptionResource = "windowexceptions";
inline constexpr std::string_view kExceptionKind = "WindowException";

// Reads the object; `created` stands in for metadata.creationTimestamp when
// the object has none yet.  A spec without `from` starts at its creation; one
// that names neither users nor groups is for its requester alone.  The
// problem names the field that is missing or malformed.
Result<core::WindowException> decode_window_exception(const rapidjson::Value& object, core::Instant created);

}  // namespace windowguard::admission
