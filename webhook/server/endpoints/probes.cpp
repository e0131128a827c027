#include "server/endpoints/probes.hpp"

#include "server/responses.hpp"

namespace windowguard::server {

Response healthz(const Request& request) { return text(request, http::status::ok, "ok"); }

Response readyz(const Request& request, const HandlerContext& context) {
  std::string reason(context.not_ready_reason);
  if (reason.empty() && context.cluster != nullptr) {
    reason = context.cluster->not_ready_reason();
  }
  return reason.empty() ? text(request, http::status::ok, "ready")
                        : text(request, http::status::service_unavailable, "not ready: " + reason);
}

}  // namespace windowguard::server
