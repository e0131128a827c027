#include "core/glob.hpp"

#include <fnmatch.h>

namespace windowguard::core {

bool glob_matches(const std::string& pattern, std::string_view text) {
  // fnmatch needs a terminated string; namespaces, app names and user names are short.
  const std::string terminated(text);
  return fnmatch(pattern.c_str(), terminated.c_str(), 0) == 0;
}

std::size_t literal_prefix_length(std::string_view pattern) { return pattern.find_first_of("*?[\\"); }

}  // namespace windowguard::core
