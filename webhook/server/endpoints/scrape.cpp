#include "server/endpoints/scrape.hpp"

#include "server/responses.hpp"

namespace windowguard::server {

Answer answer_scrape(const PendingScrape& pending, std::string exposition) {
  return Answer{Endpoint::Metrics,
                respond(pending.version, pending.keep_alive, http::status::ok,
                        "text/plain; version=0.0.4; charset=utf-8", std::move(exposition)),
                {}};
}

}  // namespace windowguard::server
