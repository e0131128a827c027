#include "core/glob.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <array>

namespace windowguard::core {
namespace {

bool is_glob_metacharacter(char c) { return c == '*' || c == '?' || c == '[' || c == '\\'; }

}  // namespace

bool glob_matches(const std::string& pattern, std::string_view text) {
  // Most patterns are literal or a literal followed by '*' (the default
  // trusted requesters, namespace globs), and every decision checks the
  // requester against each trusted pattern: the literal start is compared
  // here, which rejects most texts at their first character, and fnmatch runs
  // only for what remains.
  std::size_t position = 0;
  for (; position < pattern.size(); ++position) {
    const char expected = pattern[position];
    if (is_glob_metacharacter(expected)) {
      break;
    }
    if (position == text.size() || text[position] != expected) {
      return false;
    }
  }
  if (position == pattern.size()) {
    return text.size() == pattern.size();
  }
  if (position + 1 == pattern.size() && pattern[position] == '*') {
    return true;
  }
  // fnmatch needs a terminated string: short ones are copied to the stack.
  std::array<char, 256> buffer;
  if (text.size() < buffer.size()) {
    text.copy(buffer.data(), text.size());
    buffer[text.size()] = '\0';
    return fnmatch(pattern.c_str(), buffer.data(), 0) == 0;
  }
  const std::string terminated(text);
  return fnmatch(pattern.c_str(), terminated.c_str(), 0) == 0;
}

std::size_t literal_prefix_length(std::string_view pattern) {
  const auto metacharacter = std::find_if(pattern.begin(), pattern.end(), is_glob_metacharacter);
  return metacharacter == pattern.end() ? std::string_view::npos
                                        : static_cast<std::size_t>(metacharacter - pattern.begin());
}

}  // namespace windowguard::core
