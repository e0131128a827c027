#include "server/query_string.hpp"

#include <charconv>

namespace windowguard::server {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

}  // namespace

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::size_t equals = pair.find('=');
    if (percent_decode(pair.substr(0, equals)) == name) {
      return equals == std::string_view::npos ? std::string{} : percent_decode(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

Result<std::optional<int>> query_number(std::string_view query, std::string_view name, int low, int high) {
  const std::optional<std::string> value = query_value(query, name);
  if (!value) {
    return std::optional<int>();
  }
  int parsed = 0;
  const auto [end, problem] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  if (problem != std::errc{} || end != value->data() + value->size() || parsed < low || parsed > high) {
    return Problem(std::string(name) + " must be a whole number from " + std::to_string(low) + " to " +
                   std::to_string(high));
  }
  return std::optional<int>(parsed);
}

}  // namespace windowguard::server
