#pragma once
// GET /ui and GET /calendar.ics: the page and the feed of the timeline
// (docs/operations.md, "The page and the feed").  The router reads the
// request; the renderer (server/renderer.hpp) draws it off the I/O thread;
// answer_page wraps what it drew.
#include <string>
#include <string_view>

#include "server/handled.hpp"

namespace windowguard::server {

// A PendingPage, or a 400 for a bad filter or span, or a 503 before a valid policy.
Handled page(const Request& request, Endpoint endpoint, std::string_view query, const HandlerContext& context);

Answer answer_page(const PendingPage& pending, std::string body);

}  // namespace windowguard::server
