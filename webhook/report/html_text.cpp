#include "report/html_text.hpp"

#include <cctype>

namespace windowguard::report {

void append_escaped(std::string& out, std::string_view text) {
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view reference;
    switch (text[i]) {
      case '&':
        reference = "&amp;";
        break;
      case '<':
        reference = "&lt;";
        break;
      case '>':
        reference = "&gt;";
        break;
      case '"':
        reference = "&quot;";
        break;
      case '\'':
        reference = "&#39;";
        break;
      default:
        continue;
    }
    out.append(text.substr(plain, i - plain));
    out.append(reference);
    plain = i + 1;
  }
  out.append(text.substr(plain));
}

void append_query_value(std::string& out, std::string_view value) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char character : value) {
    const auto byte = static_cast<unsigned char>(character);
    if (std::isalnum(byte) != 0 || character == '-' || character == '.' || character == '_' || character == '~') {
      out += character;
    } else {
      out += '%';
      out += kHex[byte >> 4U];
      out += kHex[byte & 0x0FU];
    }
  }
}

std::string_view utf8_prefix(std::string_view text, std::size_t characters) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U;
    if (starts_character && seen++ == characters) {
      return text.substr(0, i);
    }
  }
  return text;
}

}  // namespace windowguard::report
