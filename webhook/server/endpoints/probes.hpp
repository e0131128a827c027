#pragma once
// GET /healthz (the process answers) and GET /readyz (a policy is loaded and,
// with cluster access, every watched resource has been listed).
#include "server/handled.hpp"

namespace windowguard::server {

Response healthz(const Request& request);
Response readyz(const Request& request, const HandlerContext& context);

}  // namespace windowguard::server
