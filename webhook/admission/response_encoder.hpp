#pragma once
// The AdmissionReview v1 response, within the API server's limits on
// warnings.
#include <string>
#include <string_view>

#include "admission/admission_decision.hpp"

namespace windowguard::admission {

std::string encode_response(std::string_view uid, const AdmissionDecision& decision);

// The API server drops a warning with a control character or invalid UTF-8,
// cuts each to 256 characters past 4096 in total, and drops duplicates;
// windowguard sends what will arrive intact.
std::vector<std::string> within_warning_limits(const std::vector<std::string>& warnings);

}  // namespace windowguard::admission
