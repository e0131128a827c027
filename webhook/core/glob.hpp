#pragma once
#include <string>
#include <string_view>

namespace windowguard::core {

// Shell-style glob match ('*' any run, '?' one character), as fnmatch(3) without flags.
bool glob_matches(const std::string& pattern, std::string_view text);

// The length of the pattern's literal start, before its first glob
// metacharacter; std::string_view::npos when the whole pattern is literal.
std::size_t literal_prefix_length(std::string_view pattern);

}  // namespace windowguard::core
