#pragma once
// The webhook's HTTP semantics as a plain function: a request in, what to
// answer out.  No sockets, no TLS, no threads, no clock, no logs and no
// metrics (Beast's server-flex example's handle_request, grown up): the
// session observes what comes back (server/observation.hpp).  One file per
// endpoint under endpoints/; this one only routes.
#include "server/handled.hpp"

namespace windowguard::server {

// Routes and answers one request; the body is moved out of `request`.  With
// `context.reads_cluster`, an eviction's or a promotion's review comes back
// pending instead: read its `reads`, then answer_review.
Handled handle_request(Request& request, const HandlerContext& context);

// Which endpoint a request target ("/validate?timeout=5s") names.  With a
// `ui_token`, the page and the feed are "/<ui_token>/ui" and
// "/<ui_token>/calendar.ics", and "/ui" and "/calendar.ics" name nothing.
Endpoint endpoint_of(std::string_view target, std::string_view ui_token = {});

}  // namespace windowguard::server
