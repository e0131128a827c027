#pragma once
// `windowguard serve`: I/O threads (one io_context and acceptor each), and a
// control thread that watches the policy directory and the certificate files
// and handles SIGTERM/SIGINT.
#include "server/server_config.hpp"

namespace windowguard::server {

// Runs until SIGTERM or SIGINT, then drains; returns the process exit code.
// Logging must have been started.
int serve(const ServerConfig& config);

}  // namespace windowguard::server
