#pragma once
#include <string>
#include <string_view>

namespace windowguard::core {

// Shell-style glob match ('*' any run, '?' one character), as fnmatch(3) without flags.
bool glob_matches(const std::string& pattern, std::string_view text);

// True when the pattern has no glob metacharacters and can be compared exactly.
bool is_literal(std::string_view pattern);

}  // namespace windowguard::core
