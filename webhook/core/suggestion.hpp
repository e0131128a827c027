#pragma once
// The name someone probably meant, for messages that refuse an unknown one.
#include <span>
#include <string>
#include <string_view>

namespace windowguard::core {

// " (did you mean "x"?)" for the closest candidate within two edits, else "".
std::string suggestion(std::string_view given, std::span<const std::string_view> candidates);

}  // namespace windowguard::core
