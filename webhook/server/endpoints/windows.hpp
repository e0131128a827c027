#pragma once
// GET /windows?environment=&application=&days=: the windows' occurrences as
// JSON (report/occurrences_json), as `windowguard windows` prints them.
#include <string_view>

#include "server/handled.hpp"

namespace windowguard::server {

Response windows(const Request& request, std::string_view query, const HandlerContext& context);

}  // namespace windowguard::server
