#include "server/router.hpp"

#include "server/endpoints/probes.hpp"
#include "server/endpoints/validate.hpp"
#include "server/endpoints/windows.hpp"
#include "server/responses.hpp"

namespace windowguard::server {
namespace {

Handled route(Request& request, Endpoint endpoint, std::string_view query, const HandlerContext& context) {
  if (endpoint == Endpoint::Validate) {
    return validate(request, context);
  }
  if (endpoint == Endpoint::Other) {
    return Answer{endpoint, text(request, http::status::not_found, "not found"), {}};
  }
  if (request.method() != http::verb::get) {
    Answer answer{endpoint, text(request, http::status::method_not_allowed, "use GET"), {}};
    answer.response.set(http::field::allow, "GET");
    return answer;
  }
  switch (endpoint) {
    case Endpoint::Healthz:
      return Answer{endpoint, healthz(request), {}};
    case Endpoint::Readyz:
      return Answer{endpoint, readyz(request, context), {}};
    case Endpoint::Metrics:
      return PendingScrape{request.version(), request.keep_alive()};
    default:
      return Answer{endpoint, windows(request, query, context), {}};
  }
}

}  // namespace

Endpoint endpoint_of(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/validate") {
    return Endpoint::Validate;
  }
  if (path == "/healthz") {
    return Endpoint::Healthz;
  }
  if (path == "/readyz") {
    return Endpoint::Readyz;
  }
  if (path == "/metrics") {
    return Endpoint::Metrics;
  }
  if (path == "/windows") {
    return Endpoint::Windows;
  }
  return Endpoint::Other;
}

Handled handle_request(Request& request, const HandlerContext& context) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::size_t question = target.find('?');
  const std::string_view query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  return route(request, endpoint_of(target), query, context);
}

}  // namespace windowguard::server
