#include "cli/listen_address.hpp"

#include <charconv>

namespace windowguard::cli {

std::optional<ListenAddress> parse_listen_address(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return std::nullopt;
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  const std::string port_text = text.substr(colon + 1);
  const auto [end, problem] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (problem != std::errc{} || end != port_text.data() + port_text.size() || port < 0 || port > 65535 ||
      host.empty()) {
    return std::nullopt;
  }
  return ListenAddress{host, static_cast<unsigned short>(port)};
}

}  // namespace windowguard::cli
