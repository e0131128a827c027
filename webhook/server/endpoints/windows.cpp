#include "server/endpoints/windows.hpp"

#include "core/schedule/upcoming.hpp"
#include "report/occurrences_json.hpp"
#include "server/query_string.hpp"
#include "server/responses.hpp"

namespace windowguard::server {

Response windows(const Request& request, std::string_view query, const HandlerContext& context) {
  if (context.policy == nullptr) {
    return text(request, http::status::service_unavailable,
                "no valid policy is loaded: " + std::string(context.not_ready_reason));
  }
  core::ListingRequest listing;
  listing.at = context.now;
  const std::optional<std::string> environment = query_value(query, "environment");
  const std::optional<std::string> application = query_value(query, "application");
  if (application && !environment) {
    return text(request, http::status::bad_request, "application needs environment");
  }
  const Result<std::optional<int>> days = query_number(query, "days", 1, core::kMostListedDays);
  if (!days) {
    return text(request, http::status::bad_request, days.error().message);
  }
  if (*days) {
    listing.ahead = core::days{**days};
  }
  // The subject only views these strings: they must outlive the listing.
  const std::string application_name = application.value_or("");
  if (environment) {
    listing.subject = core::Subject{*environment, application_name, {}, !application.has_value()};
  }
  return respond(request, http::status::ok, "application/json",
                 report::occurrences_json(*context.policy, core::list_occurrences(*context.policy, listing)));
}

}  // namespace windowguard::server
