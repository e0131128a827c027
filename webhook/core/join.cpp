#include "core/join.hpp"

namespace windowguard::core {

void append_joined(std::string& text, std::span<const std::string> items, std::string_view separator) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) {
      text += separator;
    }
    text += items[i];
  }
}

std::string join(std::span<const std::string> items, std::string_view separator) {
  std::string text;
  append_joined(text, items, separator);
  return text;
}

}  // namespace windowguard::core
