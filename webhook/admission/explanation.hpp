#pragma once
// What people read: the denial paragraph, the reason for an allowance,
// warnings and audit annotations (docs/admission.md, "What people see").
#include <string>
#include <utility>
#include <vector>

#include <boost/container/static_vector.hpp>

#include "admission/classifier.hpp"
#include "core/decision.hpp"

namespace windowguard::admission {

// Appends "Deployment team-a/api", or "Namespace team-a".
void append_object_reference(std::string& text, const Classification& classification, std::string_view name);

// The message for `decision`: `request` ("deploy of Deployment team-a/api")
// followed by why it is allowed or the denial paragraph.  Appends to
// `request`, so that a caller who reserved room writes the message in place.
std::string explain(const core::Policy& policy, const core::Decision& decision, std::string request);

std::vector<std::string> warnings_for(const core::Policy& policy, const core::Decision& decision, core::Action action,
                                      core::Instant at);

// Key and value, at most three (action, decision, and the window or the
// bypassed windows); held inline, so that a request allocates no list.
using AuditAnnotations = boost::container::static_vector<std::pair<std::string, std::string>, 3>;

AuditAnnotations audit_annotations_for(const core::Policy& policy, const core::Decision& decision, core::Action action);

}  // namespace windowguard::admission
