#pragma once
#include <string_view>

namespace windowguard::json {

// Well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Well-formed UTF-8 without control characters: what the API server keeps in
// a warning.
bool is_printable_utf8(std::string_view text);

}  // namespace windowguard::json
