#include "server/endpoints/pages.hpp"

#include "core/schedule/upcoming.hpp"
#include "server/query_string.hpp"
#include "server/responses.hpp"

namespace windowguard::server {

Handled page(const Request& request, Endpoint endpoint, std::string_view query, const HandlerContext& context) {
  if (context.policy == nullptr) {
    return Answer{endpoint,
                  text(request, http::status::service_unavailable,
                       "no valid policy is loaded: " + std::string(context.not_ready_reason)),
                  {}};
  }
  const bool feed = endpoint == Endpoint::Calendar;
  const Result<std::optional<int>> days =
      query_number(query, "days", 1, feed ? core::kMostFeedDays : core::kMostPageDays);
  if (!days) {
    return Answer{endpoint, text(request, http::status::bad_request, days.error().message), {}};
  }
  PendingPage pending{endpoint, {}, request.version(), request.keep_alive()};
  pending.request.at = context.now;
  pending.request.ahead = core::days{days->value_or(feed ? core::kDefaultFeedDays : core::kDefaultPageDays)};
  // The page's form sends an empty field for a filter left blank.
  for (const auto& [name, filter] : {std::pair{"environment", &pending.request.environment},
                                     std::pair{"application", &pending.request.application}}) {
    std::optional<std::string> value = query_value(query, name);
    if (value && !value->empty()) {
      *filter = std::move(*value);
    }
  }
  return pending;
}

Answer answer_page(const PendingPage& pending, std::string body) {
  const bool feed = pending.endpoint == Endpoint::Calendar;
  Response response = respond(pending.version, pending.keep_alive, http::status::ok,
                              feed ? "text/calendar; charset=utf-8" : "text/html; charset=utf-8", std::move(body));
  response.set("Content-Security-Policy",
               "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
               "frame-ancestors 'none'");
  response.set("X-Content-Type-Options", "nosniff");
  // The path may hold the secret of --ui-token-file: no link may pass it on.
  response.set("Referrer-Policy", "no-referrer");
  response.set(http::field::cache_control, "no-store");
  if (feed) {
    response.set(http::field::content_disposition, "inline; filename=\"windowguard.ics\"");
  }
  return Answer{pending.endpoint, std::move(response), {}};
}

}  // namespace windowguard::server
