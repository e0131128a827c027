#pragma once
// Writes to WindowException objects: decoded here, judged by
// core::refuse_exception_write (docs/exceptions.md, "What windowguard checks").
#include "admission/admission_decision.hpp"
#include "admission/review_decoder.hpp"
#include "core/policy.hpp"

namespace windowguard::admission {

bool is_exception_write(const AdmissionRequest& request);

// Allowed, or denied with the reason as the message kubectl shows.
// `windowguard_user` is windowguard's own identity in the cluster (empty when
// unknown), whose status writes keep the summary fields.
AdmissionDecision review_exception_write(const core::Policy& policy, const AdmissionRequest& request, core::Instant now,
                                         std::string_view windowguard_user);

}  // namespace windowguard::admission
