#pragma once
// GET /metrics: the router asks for a scrape (PendingScrape); the session has
// server/renderer render it off the I/O thread, then answers with this.
#include <string>

#include "server/handled.hpp"

namespace windowguard::server {

Answer answer_scrape(const PendingScrape& pending, std::string exposition);

}  // namespace windowguard::server
