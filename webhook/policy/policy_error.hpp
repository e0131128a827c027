#pragma once
#include <string>

namespace windowguard::policy {

// One problem in a policy file, at a 1-based line and column (0 for a
// problem with the file or directory as a whole).
struct PolicyError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  std::string to_string() const {
    if (line == 0) {
      return file + ": " + message;
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  }
  friend bool operator==(const PolicyError&, const PolicyError&) = default;
};

}  // namespace windowguard::policy
