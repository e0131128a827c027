#pragma once
#include <string_view>

namespace windowguard::core {

// Kubernetes' "qualified name" part: 1 to 63 characters of [A-Za-z0-9-_.],
// starting and ending alphanumeric.  Window names follow it, so that a name
// can be a metric label value and sit in an audit annotation unchanged; the
// API server requires it of audit annotation keys.
bool is_qualified_name(std::string_view text);

}  // namespace windowguard::core
