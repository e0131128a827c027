#include "server/responses.hpp"

namespace windowguard::server {

Response respond(unsigned version, bool keep_alive, http::status status, std::string_view content_type,
                 std::string body) {
  Response response(status, version);
  response.set(http::field::content_type, content_type);
  response.keep_alive(keep_alive);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response respond(const Request& request, http::status status, std::string_view content_type, std::string body) {
  return respond(request.version(), request.keep_alive(), status, content_type, std::move(body));
}

Response text(const Request& request, http::status status, std::string body) {
  return respond(request, status, "text/plain; charset=utf-8", std::move(body) + "\n");
}

Response error_response(http::status status, unsigned version, std::string reason) {
  return respond(version, false, status, "text/plain; charset=utf-8", std::move(reason) + "\n");
}

}  // namespace windowguard::server
