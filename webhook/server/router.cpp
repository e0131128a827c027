#include "server/router.hpp"

#include <openssl/crypto.h>

#include <optional>

#include "server/endpoints/pages.hpp"
#include "server/endpoints/probes.hpp"
#include "server/endpoints/validate.hpp"
#include "server/endpoints/windows.hpp"
#include "server/responses.hpp"

namespace windowguard::server {
namespace {

// The path after "/<token>" when the path starts with that segment; the
// token is compared in constant time, so that answers do not tell how much
// of a guess was right.
std::optional<std::string_view> after_token(std::string_view path, std::string_view token) {
  if (path.size() < token.size() + 2 || path[0] != '/' || path[token.size() + 1] != '/') {
    return std::nullopt;
  }
  if (CRYPTO_memcmp(path.data() + 1, token.data(), token.size()) != 0) {
    return std::nullopt;
  }
  return path.substr(token.size() + 1);
}

Endpoint page_endpoint_of(std::string_view path) {
  if (path == "/ui") {
    return Endpoint::Ui;
  }
  return path == "/calendar.ics" ? Endpoint::Calendar : Endpoint::Other;
}

bool is_page(Endpoint endpoint) { return endpoint == Endpoint::Ui || endpoint == Endpoint::Calendar; }

Handled route(Request& request, Endpoint endpoint, std::string_view query, const HandlerContext& context) {
  if (context.pages_only && !is_page(endpoint)) {
    endpoint = Endpoint::Other;
  }
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
    case Endpoint::Ui:
    case Endpoint::Calendar:
      return page(request, endpoint, query, context);
    default:
      return Answer{endpoint, windows(request, query, context), {}};
  }
}

}  // namespace

Endpoint endpoint_of(std::string_view target, std::string_view ui_token) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (ui_token.empty()) {
    if (const Endpoint page = page_endpoint_of(path); page != Endpoint::Other) {
      return page;
    }
  } else if (const std::optional<std::string_view> rest = after_token(path, ui_token)) {
    return page_endpoint_of(*rest);
  }
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
  return route(request, endpoint_of(target, context.ui_token), query, context);
}

}  // namespace windowguard::server
