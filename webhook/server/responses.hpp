#pragma once
// The responses every endpoint builds: a body with its type, or a line of text.
#include <string>
#include <string_view>

#include "server/handled.hpp"

namespace windowguard::server {

Response respond(unsigned version, bool keep_alive, http::status status, std::string_view content_type,
                 std::string body);
// With the request's HTTP version and keep-alive.
Response respond(const Request& request, http::status status, std::string_view content_type, std::string body);
// text/plain, one line.
Response text(const Request& request, http::status status, std::string body);

// A bodyless error for requests that never became whole (413, 431, 400).
Response error_response(http::status status, unsigned version, std::string reason);

}  // namespace windowguard::server
