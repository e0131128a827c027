#pragma once
#include <optional>
#include <string>

namespace windowguard::cli {

struct ListenAddress {
  std::string host;
  unsigned short port;
};

// "HOST:PORT" or "[IPv6]:PORT"; nullopt when malformed.
std::optional<ListenAddress> parse_listen_address(const std::string& text);

}  // namespace windowguard::cli
