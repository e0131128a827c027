#pragma once
// Lists in words: "a, b, c".
#include <span>
#include <string>
#include <string_view>

namespace windowguard::core {

// The items with `separator` between them ("" for none).
std::string join(std::span<const std::string> items, std::string_view separator = ", ");

// The same, appended to `text`: for messages written on every request,
// without a temporary.
void append_joined(std::string& text, std::span<const std::string> items, std::string_view separator = ", ");

}  // namespace windowguard::core
